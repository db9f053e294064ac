package dev.conveyor.api;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;

import dev.conveyor.job.Job;
import dev.conveyor.job.JobStatus;
import dev.conveyor.queue.QueueEvent;

/** The data of one event of {@code GET /events} and {@code GET /jobs/{id}/events}: a job change. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "JobEvent", description = "A job change, sent as the data of a server-sent event")
public record EventView(
        @Schema(required = true, pattern = JobView.ID_PATTERN) String id,
        @Schema(required = true, pattern = JobView.QUEUE_PATTERN) String queue,
        @Schema(required = true, enumeration = { "scheduled", "queued", "running", "retrying", "succeeded", "failed",
                "cancelled" }) String status,
        @Schema(description = "The attempt the change belongs to, when it says") Integer attempt,
        @Schema(description = "The attempt's error (retrying, failed, and jobs recovered from a dead worker)") String error,
        @Schema(implementation = JobView.ProgressView.class, description = "Progress the handler reported (as on the job)")
        @JsonRawValue String progress,
        @Schema(required = true, description = "When the change happened (Redis' clock)") Instant at) {

    static EventView of(QueueEvent event) {
        return new EventView(event.job().toString(), event.queue(), event.status(), event.attempt(), event.error(),
                event.progress(), at(event.id()));
    }

    /** A job's current state, as the first event of its stream. */
    static EventView of(Job job, String position) {
        boolean failing = job.status() == JobStatus.RETRYING || job.status() == JobStatus.FAILED
                || job.status() == JobStatus.CANCELLED;
        return new EventView(job.id().toString(), job.id().queue(), job.status().wireName(), job.attempts(),
                failing ? job.error() : null, job.progress(), at(position));
    }

    private static Instant at(String streamId) {
        return streamId == null ? Instant.now() : Instant.ofEpochMilli(Long.parseLong(streamId.substring(0, streamId.indexOf('-'))));
    }
}
