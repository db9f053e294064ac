package dev.conveyor.api;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.conveyor.handler.SchemaPatterns;

/** A job's unique key, asked for with the job; see docs/api.md, "Unique jobs". */
@Schema(name = "Unique", description = "While a job of the queue with this key is in its scope, enqueueing another "
        + "with the key answers 200 with that job instead of creating one.", additionalProperties = Schema.False.class)
public record UniqueRequest(
        @Schema(required = true, description = "1 to 255 visible ASCII characters; one key per queue.",
                pattern = JobRequest.IDEMPOTENCY_KEY_PATTERN, examples = "report-2027-01")
        @NotNull(message = "is required")
        @Pattern(regexp = "[\\x21-\\x7e]{1,255}", message = "must be 1 to 255 visible ASCII characters")
        String key,
        @Schema(description = "queued: while the job waits (until it starts running); active: until it succeeds, "
                + "fails for good or is cancelled; until-done: until it succeeds (a failed or cancelled job keeps "
                + "the key until the ttl).", enumeration = { "queued", "active", "until-done" },
                defaultValue = "active")
        String scope,
        @Schema(format = "duration", pattern = SchemaPatterns.DURATION, description = "Longest the key is held, "
                + "whatever the scope: ISO-8601 duration above zero, at most conveyor.unique.max-ttl (P7D).",
                defaultValue = "PT1H", examples = "PT1H")
        @IsoDuration(message = "must be an ISO-8601 duration above zero, such as PT1H")
        String ttl) {

    static final String DEFAULT_TTL = "PT1H";
}
