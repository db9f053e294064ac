package dev.conveyor.api;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of {@code GET /jobs}. */
public record PageView(List<JobView> jobs,
        @Schema(description = "Pass as cursor for the next page; null on the last page.") String nextCursor) {
}
