package dev.conveyor.queue;

import java.util.List;

import dev.conveyor.job.Job;

/** One page of a listing, newest first; {@code nextCursor} is null on the last page. */
public record JobPage(List<Job> jobs, String nextCursor) {
}
