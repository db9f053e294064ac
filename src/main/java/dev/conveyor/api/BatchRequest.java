package dev.conveyor.api;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /jobs/batch}: validated all-or-nothing, enqueued in one round trip to Redis. */
@Schema(name = "BatchRequest", additionalProperties = Schema.False.class)
public record BatchRequest(
        @Schema(required = true, minItems = 1, description = "1 to conveyor.api.max-batch-size (1000) jobs.")
        List<JobRequest> jobs) {
}
