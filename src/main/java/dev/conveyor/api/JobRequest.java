package dev.conveyor.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The body of {@code POST /jobs}. Times and durations are text so that a bad one is reported with its field name
 * like any other invalid value; {@link JobRequestValidator} turns a request into a {@code NewJob}.
 */
@Schema(name = "JobRequest", description = "A job to run.")
public record JobRequest(
        @Schema(required = true, description = "Job type: one of the registered handlers.", examples = "echo")
        String type,
        @Schema(description = "Input of the job, a JSON object validated by the job type.", examples = "{\"message\": \"hello\"}")
        JsonNode payload,
        @Schema(description = "Queue name, `[a-z0-9][a-z0-9_-]{0,63}`.", defaultValue = "default", examples = "default")
        String queue,
        @Schema(description = "1 (highest) to 10 (lowest).", defaultValue = "5", minimum = "1", maximum = "10")
        Integer priority,
        @Schema(description = "Attempts before the job fails for good, 1 to 100.", defaultValue = "3", minimum = "1", maximum = "100")
        Integer maxAttempts,
        @Schema(description = "Run no earlier than this RFC 3339 instant. Not with `delay`.", examples = "2030-01-01T09:00:00Z")
        String runAt,
        @Schema(description = "Run after this ISO-8601 duration. Not with `runAt`.", examples = "PT10M")
        String delay,
        @Schema(description = "Longest run of one attempt, ISO-8601 duration; worker default when absent.", examples = "PT30S")
        String timeout,
        @Schema(description = "This job's own retry backoff, overriding the worker's conveyor.retry.* settings.")
        BackoffRequest backoff,
        @Schema(description = "Same key and same request within the retention: the existing job is returned. "
                + "Also accepted as the Idempotency-Key header.", maxLength = 255)
        String idempotencyKey) {

    /** Exponential backoff with full jitter between attempts: from {@code initialDelay}, doubling, capped. */
    @Schema(name = "Backoff")
    public record BackoffRequest(
            @Schema(required = true, description = "ISO-8601 duration.", examples = "PT5S") String initialDelay,
            @Schema(description = "ISO-8601 duration; defaults to conveyor.retry.max-delay.", examples = "PT10M")
            String maxDelay) {
    }
}
