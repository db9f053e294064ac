package dev.conveyor.api;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.conveyor.job.Backoff;
import dev.conveyor.http.RedactedPayload;
import dev.conveyor.job.Job;

/** A job as clients see it. */
@Schema(name = "Job")
@JsonPropertyOrder({ "id", "type", "queue", "status", "priority", "payload", "attempts", "maxAttempts", "createdAt",
        "runAt", "startedAt", "finishedAt", "timeout", "backoff", "result", "error", "errors", "cancelRequested" })
public record JobView(
        @Schema(examples = "default.01JDQ8Z6V3M4T2K9N7P5R1S0XA") String id,
        @Schema(examples = "echo") String type,
        @Schema(examples = "default") String queue,
        @Schema(enumeration = { "scheduled", "queued", "running", "retrying", "succeeded", "failed", "cancelled" })
        String status,
        int priority,
        @Schema(type = SchemaType.OBJECT, description = "Absent in list summaries (GET /jobs without full=true).")
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonRawValue String payload,
        @Schema(description = "Attempts started so far.") int attempts,
        int maxAttempts,
        Instant createdAt,
        @Schema(description = "When the job becomes (or became) runnable.") Instant runAt,
        @Schema(description = "Start of the latest attempt.") Instant startedAt,
        Instant finishedAt,
        @Schema(description = "Per-attempt timeout (ISO-8601), null for the worker default.") String timeout,
        @Schema(description = "The job's own retry backoff, null for the worker default.") BackoffView backoff,
        @Schema(type = SchemaType.OBJECT, description = "The handler's result, once succeeded. Absent in list summaries.")
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonRawValue String result,
        @Schema(description = "The latest error message.") String error,
        @Schema(description = "Errors of past attempts, oldest first (the last 25). Absent in list summaries.")
        @JsonInclude(JsonInclude.Include.NON_NULL) List<AttemptError> errors,
        @Schema(description = "A client asked to cancel this running job; its worker is stopping it.") boolean cancelRequested) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One failed attempt. */
    public record AttemptError(int attempt, Instant at, String error) {
    }

    public record BackoffView(String initialDelay, String maxDelay) {
    }

    static JobView of(Job job) {
        // raw JSON null: a job without result shows "result": null, while summaries leave the member out
        return view(job, job.payload(), job.result() == null ? "null" : job.result(), history(job.errorHistory()));
    }

    /** The job without payload, result and error history: what lists show unless asked for them. */
    static JobView summary(Job job) {
        return view(job, null, null, null);
    }

    private static JobView view(Job job, String payload, String result, List<AttemptError> errors) {
        Backoff backoff = job.backoff();
        return new JobView(job.id().toString(), job.type(), job.queue(), job.status().wireName(), job.priority(),
                RedactedPayload.of(payload), job.attempts(), job.maxAttempts(), job.createdAt(), job.runAt(), job.startedAt(),
                job.finishedAt(), text(job.timeout()),
                backoff == null ? null : new BackoffView(text(backoff.initialDelay()), text(backoff.maxDelay())),
                result, job.error(), errors, job.cancelRequested());
    }

    private static String text(Duration duration) {
        return duration == null ? null : duration.toString();
    }

    /** The store keeps the history as a JSON array with epoch-millisecond times. */
    private static List<AttemptError> history(String json) {
        if (json == null) {
            return List.of();
        }
        List<AttemptError> errors = new ArrayList<>();
        try {
            for (JsonNode entry : JSON.readTree(json)) {
                errors.add(new AttemptError(entry.path("attempt").asInt(),
                        Instant.ofEpochMilli(entry.path("at").asLong()), entry.path("error").asText()));
            }
        } catch (JsonProcessingException e) {
            return List.of();
        }
        return errors;
    }
}
