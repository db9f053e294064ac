package dev.conveyor.api;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

import dev.conveyor.handler.SchemaPatterns;

/** A schedule as clients see it: its definition, its state, and when it runs next. */
@Schema(name = "Schedule")
@JsonPropertyOrder({ "name", "cron", "every", "timezone", "job", "overlap", "catchUp", "paused", "nextRuns", "lastRun",
        "createdAt", "updatedAt" })
public record ScheduleView(
        @Schema(required = true, pattern = ScheduleRequest.NAME_PATTERN) String name,
        @Schema(description = "Absent for an interval schedule.") @JsonInclude(JsonInclude.Include.NON_NULL) String cron,
        @Schema(format = "duration", pattern = SchemaPatterns.DURATION, description = "Absent for a cron schedule.")
        @JsonInclude(JsonInclude.Include.NON_NULL) String every,
        @Schema(required = true, examples = "Europe/Berlin") String timezone,
        @Schema(required = true, ref = "JobRequest", description = "The job request each tick enqueues, as given.")
        JsonNode job,
        @Schema(required = true, enumeration = { "allow", "skip" }) String overlap,
        @Schema(required = true, enumeration = { "none", "latest" }) String catchUp,
        @Schema(required = true) boolean paused,
        @Schema(required = true, description = "The next 3 ticks (RFC 3339, with the offset of timezone); empty "
                + "while paused.") List<String> nextRuns,
        @Schema(required = true, nullable = true, description = "The last tick handled; null before the first.")
        LastRunView lastRun,
        @Schema(required = true) Instant createdAt,
        @Schema(required = true) Instant updatedAt) {

    /** A handled tick: the job it fired, or why it fired none. */
    @Schema(name = "ScheduleRun")
    public record LastRunView(
            @Schema(required = true, description = "The tick") Instant scheduledFor,
            @Schema(pattern = JobView.ID_PATTERN, description = "The job fired; absent when the tick was skipped.")
            @JsonInclude(JsonInclude.Include.NON_NULL) String jobId,
            @Schema(required = true, description = "When the tick was handled") Instant firedAt,
            @Schema(enumeration = { "overlap", "missed", "invalid", "refused" }, description = "Why no job was "
                    + "fired: the last job still ran (overlap skip), the tick was missed (catchUp none), the job "
                    + "request is no longer valid, or the queue refused it. Absent when a job was fired.")
            @JsonInclude(JsonInclude.Include.NON_NULL) String skipped) {
    }

    /** Every schedule the caller may see. */
    @Schema(name = "ScheduleList")
    public record ScheduleList(@Schema(required = true, description = "Sorted by name") List<ScheduleView> schedules) {
    }
}
