package dev.conveyor.api;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of {@code GET /jobs}. */
public record PageView(@Schema(required = true) List<JobView> jobs,
        @Schema(required = true, nullable = true, pattern = PageView.CURSOR_PATTERN,
                description = "Pass as cursor for the next page; null on the last page.") String nextCursor) {

    static final String CURSOR_PATTERN = "^[0-9A-HJKMNP-TV-Z]{26}$";
}
