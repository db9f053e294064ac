package dev.conveyor.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

import dev.conveyor.handler.SchemaPatterns;
import dev.conveyor.job.NewJob;
import dev.conveyor.job.QueueName;

/**
 * The body of {@code POST /jobs}. Times and durations are text so that a bad one is reported with its field name
 * like any other invalid value. The constraints check each field on its own; {@link JobRequestValidator} adds the
 * rules that need the job type or several fields, and turns a request into a {@code NewJob}.
 */
@Schema(name = "JobRequest", description = "A job to run.", additionalProperties = Schema.False.class)
public record JobRequest(
        @Schema(required = true, description = "Job type: one of the registered handlers.", examples = "echo")
        @NotBlank(message = "is required")
        String type,
        @Schema(type = SchemaType.OBJECT, description = "Input of the job, a JSON object validated by the job type "
                + "(its payload schema), at most conveyor.api.max-payload-size (64K) of compact JSON; default {}.")
        JsonNode payload,
        @Schema(description = "Queue name.", pattern = JobView.QUEUE_PATTERN, defaultValue = "default",
                examples = "default")
        @Pattern(regexp = QueueName.RULE, message = "must match " + QueueName.RULE)
        String queue,
        @Schema(description = "1 (highest) to 10 (lowest).", defaultValue = "5", minimum = "1", maximum = "10")
        @Min(value = NewJob.HIGHEST_PRIORITY, message = JobRequest.PRIORITY_RULE)
        @Max(value = NewJob.LOWEST_PRIORITY, message = JobRequest.PRIORITY_RULE)
        Integer priority,
        @Schema(description = "Attempts before the job fails for good, 1 to 100.", defaultValue = "3", minimum = "1", maximum = "100")
        @Min(value = 1, message = JobRequest.MAX_ATTEMPTS_RULE)
        @Max(value = NewJob.MAX_ATTEMPTS_LIMIT, message = JobRequest.MAX_ATTEMPTS_RULE)
        Integer maxAttempts,
        @Schema(format = "date-time", description = "Run no earlier than this RFC 3339 instant, at most "
                + "conveyor.api.max-schedule-ahead (P365D) from now. Not with `delay`.", examples = "2027-01-01T09:00:00Z")
        @Rfc3339(message = "must be an RFC 3339 date-time with offset, such as 2030-01-01T09:00:00Z")
        String runAt,
        @Schema(format = "duration", pattern = SchemaPatterns.DURATION, description = "Run after this ISO-8601 "
                + "duration, at most conveyor.api.max-schedule-ahead (P365D). Not with `runAt`.", examples = "PT10M")
        @IsoDuration(zeroAllowed = true, message = "must be an ISO-8601 duration of zero or more, such as PT10M")
        String delay,
        @Schema(format = "duration", pattern = SchemaPatterns.DURATION, description = "Longest run of one attempt, "
                + "ISO-8601 duration above zero, at most conveyor.api.max-timeout (PT24H); worker default when absent.",
                examples = "PT30S")
        @IsoDuration(message = "must be an ISO-8601 duration above zero, such as PT30S")
        String timeout,
        @Schema(description = "This job's own retry backoff, overriding the worker's conveyor.retry.* settings.")
        @Valid
        BackoffRequest backoff,
        @Schema(description = "Same key and same request within the retention: the existing job is returned. "
                + "Also accepted as the Idempotency-Key header.", pattern = JobRequest.IDEMPOTENCY_KEY_PATTERN)
        @Pattern(regexp = "[\\x21-\\x7e]{1,255}", message = "must be 1 to 255 visible ASCII characters")
        String idempotencyKey,
        @Schema(description = "A signed webhook to POST when the job ends (see docs/webhooks.md).")
        @Valid
        CallbackRequest callback,
        @Schema(description = "A unique key: no second job of the queue with this key while the first is in scope "
                + "(see docs/api.md, \"Unique jobs\").")
        @Valid
        UniqueRequest unique) {

    static final String MAX_DELAY = "P365D";
    static final String IDEMPOTENCY_KEY_PATTERN = "^[\\x21-\\x7e]{1,255}$";
    private static final String PRIORITY_RULE = "must be between 1 (highest) and 10 (lowest)";
    private static final String MAX_ATTEMPTS_RULE = "must be between 1 and " + NewJob.MAX_ATTEMPTS_LIMIT;
    static final String MAX_DELAY_RULE = "must be an ISO-8601 duration at least initialDelay and at most " + MAX_DELAY;

    /** Exponential backoff with full jitter between attempts: from {@code initialDelay}, doubling, capped. */
    @Schema(name = "Backoff", additionalProperties = Schema.False.class)
    public record BackoffRequest(
            @Schema(required = true, format = "duration", pattern = SchemaPatterns.DURATION,
                    description = "ISO-8601 duration above zero, at most P365D.", examples = "PT5S")
            @NotNull(message = BackoffRequest.INITIAL_DELAY_RULE)
            @IsoDuration(max = JobRequest.MAX_DELAY, message = BackoffRequest.INITIAL_DELAY_RULE)
            String initialDelay,
            @Schema(format = "duration", pattern = SchemaPatterns.DURATION, description = "ISO-8601 duration, at least "
                    + "initialDelay and at most P365D; defaults to conveyor.retry.max-delay.", examples = "PT10M")
            @IsoDuration(max = JobRequest.MAX_DELAY, zeroAllowed = true, message = JobRequest.MAX_DELAY_RULE)
            String maxDelay) {

        private static final String INITIAL_DELAY_RULE = "must be an ISO-8601 duration above zero, such as PT5S";
    }
}
