package dev.conveyor.api;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
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

import dev.conveyor.handler.SchemaPatterns;
import dev.conveyor.http.RedactedPayload;
import dev.conveyor.job.Backoff;
import dev.conveyor.job.Job;
import dev.conveyor.job.JobId;
import dev.conveyor.job.JobStatus;
import dev.conveyor.job.QueueName;
import dev.conveyor.job.Unique;

/** A job as clients see it. */
@Schema(name = "Job")
@JsonPropertyOrder({ "id", "type", "queue", "status", "priority", "payload", "attempts", "maxAttempts", "createdAt",
        "runAt", "startedAt", "finishedAt", "timeout", "backoff", "result", "error", "errors", "cancelRequested",
        "progress", "callback", "unique", "schedule",
        "scheduledFor" })
public record JobView(
        @Schema(required = true, pattern = JobView.ID_PATTERN, examples = "default.01JDQ8Z6V3M4T2K9N7P5R1S0XA") String id,
        @Schema(required = true, examples = "echo") String type,
        @Schema(required = true, pattern = JobView.QUEUE_PATTERN, examples = "default") String queue,
        @Schema(required = true, enumeration = { "scheduled", "queued", "running", "retrying", "succeeded", "failed",
                "cancelled" })
        String status,
        @Schema(required = true, minimum = "1", maximum = "10") int priority,
        @Schema(type = SchemaType.OBJECT, description = "As enqueued (see the type's payload schema, such as "
                + "SleepPayload), credential headers redacted. Absent in list summaries (GET /jobs without full=true).")
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonRawValue String payload,
        @Schema(required = true, minimum = "0", description = "Attempts started so far.") int attempts,
        @Schema(required = true, minimum = "1", maximum = "100") int maxAttempts,
        @Schema(required = true) Instant createdAt,
        @Schema(required = true, description = "When the job becomes (or became) runnable.") Instant runAt,
        @Schema(required = true, nullable = true, description = "Start of the latest attempt.") Instant startedAt,
        @Schema(required = true, nullable = true) Instant finishedAt,
        @Schema(required = true, nullable = true, format = "duration", pattern = SchemaPatterns.DURATION,
                description = "Per-attempt timeout (ISO-8601), null for the worker default.") String timeout,
        @Schema(required = true, nullable = true, description = "The job's own retry backoff, null for the worker "
                + "default.") BackoffView backoff,
        @Schema(type = SchemaType.OBJECT, nullable = true, description = "The handler's result once succeeded (see "
                + "the type's result schema, such as SleepResult), else null. Absent in list summaries.")
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonRawValue String result,
        @Schema(required = true, nullable = true, description = "The latest error message.") String error,
        @Schema(description = "Errors of past attempts, oldest first (the last 25). Absent in list summaries.")
        @JsonInclude(JsonInclude.Include.NON_NULL) List<AttemptError> errors,
        @Schema(required = true, description = "A client asked to cancel this running job; its worker is stopping it.")
        boolean cancelRequested,
        @Schema(description = "The latest progress its handler reported, kept after the job ends; absent when none "
                + "was reported (a re-run by hand clears it).")
        @JsonInclude(JsonInclude.Include.NON_NULL) ProgressView progress,
        @Schema(description = "The job's completion webhook and its delivery; absent without one.")
        @JsonInclude(JsonInclude.Include.NON_NULL) CallbackView callback,
        @Schema(description = "The job's unique key, as enqueued (defaults applied); absent without one. The job "
                + "holds it while in its scope, at most ttl.")
        @JsonInclude(JsonInclude.Include.NON_NULL) UniqueView unique,
        @Schema(pattern = ScheduleRequest.NAME_PATTERN, description = "The schedule that fired this job; absent for "
                + "jobs enqueued by a client.")
        @JsonInclude(JsonInclude.Include.NON_NULL) String schedule,
        @Schema(description = "The schedule's tick this job stands for (one job per tick); absent with schedule.")
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant scheduledFor) {

    static final String QUEUE_PATTERN = "^" + QueueName.RULE + "$";
    static final String ID_PATTERN = "^" + QueueName.RULE + "\\.[0-9A-HJKMNP-TV-Z]{26}$";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One failed attempt. */
    public record AttemptError(@Schema(required = true, minimum = "0") int attempt,
            @Schema(description = "When the attempt started; absent when unknown")
            @JsonInclude(JsonInclude.Include.NON_NULL) Instant startedAt,
            @Schema(required = true, description = "When it failed") Instant at,
            @Schema(required = true) String error) {
    }

    /** A handler's latest progress report; the parts it did not report are absent. */
    @Schema(name = "JobProgress")
    @JsonPropertyOrder({ "percent", "details", "updatedAt" })
    public record ProgressView(
            @Schema(minimum = "0", maximum = "100", description = "How far the job got, in percent.")
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer percent,
            @Schema(type = SchemaType.OBJECT, description = "What the handler chose to tell (at most 4 KB of JSON).")
            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonRawValue String details,
            @Schema(required = true, description = "When the handler reported it.") Instant updatedAt) {
    }

    @Schema(name = "JobBackoff")
    public record BackoffView(
            @Schema(required = true, format = "duration", pattern = SchemaPatterns.DURATION) String initialDelay,
            @Schema(required = true, nullable = true, format = "duration", pattern = SchemaPatterns.DURATION,
                    description = "null: conveyor.retry.max-delay.") String maxDelay) {
    }

    /**
     * A completion webhook: what was asked for, and where its delivery stands (a delivery exists once the job ended
     * in one of the events; its status, attempts and error are read from it).
     */
    @Schema(name = "JobCallback")
    public record CallbackView(
            @Schema(required = true, format = "uri") String url,
            @Schema(required = true, type = SchemaType.ARRAY, implementation = CallbackRequest.Event.class)
            List<String> events,
            @Schema(required = true, nullable = true, description = "pending, delivering, delivered or failed; "
                    + "null: no delivery (the job has not ended in one of the events), or not read here "
                            + "(lists), or removed by its queue's retention.") String status,
            @Schema(required = true, nullable = true, pattern = JobView.ID_PATTERN, description = "The delivery's "
                    + "id, sent as Conveyor-Delivery-Id on every try (the id of an internal job of type callback).")
            String deliveryId,
            @Schema(required = true, minimum = "0", description = "Tries so far.") int attempts,
            @Schema(required = true, nullable = true, description = "The error of the latest failed try.")
            String lastError,
            @Schema(required = true, nullable = true) Instant deliveredAt) {
    }

    /** A job's unique key: see docs/api.md, "Unique jobs". */
    @Schema(name = "JobUnique")
    public record UniqueView(
            @Schema(required = true) String key,
            @Schema(required = true, enumeration = { "queued", "active", "until-done" }) String scope,
            @Schema(required = true, format = "duration", pattern = SchemaPatterns.DURATION) String ttl) {
    }

    static JobView of(Job job) {
        return of(job, null);
    }

    /** With the state of the job's callback delivery, read from {@code delivery} (null when not read or gone). */
    static JobView of(Job job, Job delivery) {
        // raw JSON null: a job without result shows "result": null, while summaries leave the member out
        return view(job, job.payload(), job.result() == null ? "null" : job.result(), history(job.errorHistory()),
                delivery);
    }

    /** The job without payload, result and error history: what lists show unless asked for them. */
    static JobView summary(Job job) {
        return view(job, null, null, null, null);
    }

    private static JobView view(Job job, String payload, String result, List<AttemptError> errors, Job delivery) {
        Backoff backoff = job.backoff();
        return new JobView(job.id().toString(), job.type(), job.queue(), job.status().wireName(), job.priority(),
                RedactedPayload.of(payload), job.attempts(), job.maxAttempts(), job.createdAt(), job.runAt(), job.startedAt(),
                job.finishedAt(), text(job.timeout()),
                backoff == null ? null : new BackoffView(text(backoff.initialDelay()), text(backoff.maxDelay())),
                result, job.error(), errors, job.cancelRequested(), progress(job.progress()),
                callback(job, delivery), unique(job.unique()), job.schedule(),
                job.scheduledFor());
    }

    private static UniqueView unique(Unique unique) {
        return unique == null ? null
                : new UniqueView(unique.key(), unique.scope().wireName(), text(unique.ttl()));
    }

    private static CallbackView callback(Job job, Job delivery) {
        if (job.callback() == null) {
            return null;
        }
        List<String> events = new ArrayList<>();
        String url;
        try {
            JsonNode stored = JSON.readTree(job.callback());
            url = stored.path("url").asText();
            stored.path("events").forEach(event -> events.add(event.asText()));
        } catch (JsonProcessingException e) {
            return null;
        }
        String deliveryId = job.delivery() == null ? null : new JobId(job.queue(), job.delivery()).toString();
        if (delivery == null) {
            return new CallbackView(url, events, null, deliveryId, 0, null, null);
        }
        String status = switch (delivery.status()) {
            case SCHEDULED, QUEUED, RETRYING -> "pending";
            case RUNNING -> "delivering";
            case SUCCEEDED -> "delivered";
            case FAILED, CANCELLED -> "failed";
        };
        return new CallbackView(url, events, status, deliveryId, delivery.attempts(), delivery.error(),
                delivery.status() == JobStatus.SUCCEEDED ? delivery.finishedAt() : null);
    }

    private static String text(Duration duration) {
        return duration == null ? null : duration.toString();
    }

    /** The store keeps a report as the JSON of this view (which the job's progress events carry as they are). */
    private static ProgressView progress(String json) {
        if (json == null) {
            return null;
        }
        try {
            JsonNode report = JSON.readTree(json);
            JsonNode percent = report.get("percent");
            JsonNode details = report.get("details");
            return new ProgressView(percent == null ? null : percent.asInt(),
                    details == null ? null : details.toString(), Instant.parse(report.path("updatedAt").asText()));
        } catch (JsonProcessingException | DateTimeParseException e) {
            return null;
        }
    }

    /** The store keeps the history as a JSON array with epoch-millisecond times. */
    private static List<AttemptError> history(String json) {
        if (json == null) {
            return List.of();
        }
        List<AttemptError> errors = new ArrayList<>();
        try {
            for (JsonNode entry : JSON.readTree(json)) {
                JsonNode started = entry.path("startedAt");
                errors.add(new AttemptError(entry.path("attempt").asInt(),
                        started.isNumber() ? Instant.ofEpochMilli(started.asLong()) : null,
                        Instant.ofEpochMilli(entry.path("at").asLong()), entry.path("error").asText()));
            }
        } catch (JsonProcessingException e) {
            return List.of();
        }
        return errors;
    }
}
