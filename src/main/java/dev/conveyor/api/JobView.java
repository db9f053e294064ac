package dev.conveyor.api;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonRawValue;

import dev.conveyor.job.Job;

/** A job as clients see it. */
@Schema(name = "Job")
@JsonPropertyOrder({ "id", "type", "queue", "status", "priority", "payload", "attempts", "maxAttempts", "createdAt",
        "runAt", "startedAt", "finishedAt", "timeout", "result", "error" })
public record JobView(
        @Schema(examples = "default.01JDQ8Z6V3M4T2K9N7P5R1S0XA") String id,
        @Schema(examples = "echo") String type,
        @Schema(examples = "default") String queue,
        @Schema(enumeration = { "scheduled", "queued", "running", "retrying", "succeeded", "failed", "cancelled" })
        String status,
        int priority,
        @Schema(type = SchemaType.OBJECT) @JsonRawValue String payload,
        @Schema(description = "Attempts started so far.") int attempts,
        int maxAttempts,
        Instant createdAt,
        @Schema(description = "When the job becomes (or became) runnable.") Instant runAt,
        @Schema(description = "Start of the latest attempt.") Instant startedAt,
        Instant finishedAt,
        @Schema(description = "Per-attempt timeout (ISO-8601), null for the worker default.") String timeout,
        @Schema(type = SchemaType.OBJECT, description = "The handler's result, once succeeded.") @JsonRawValue String result,
        @Schema(description = "The latest error message.") String error) {

    static JobView of(Job job) {
        return new JobView(job.id().toString(), job.type(), job.queue(), job.status().wireName(), job.priority(),
                job.payload(), job.attempts(), job.maxAttempts(), job.createdAt(), job.runAt(), job.startedAt(),
                job.finishedAt(), job.timeout() == null ? null : job.timeout().toString(), job.result(), job.error());
    }
}
