package dev.conveyor.api;

import java.util.List;

/** The answer to {@code POST /jobs/batch}: the jobs in request order. */
public record BatchView(List<JobView> jobs) {
}
