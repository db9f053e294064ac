package dev.conveyor.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A schedule as saved (its stored JSON): exactly one of {@code cron} and {@code every} (ISO-8601), the IANA zone of
 * the cron expression, the job request each tick enqueues (as the client wrote it, checked again when it fires), and
 * the overlap and catch-up rules by wire name.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScheduleDefinition(String name, String cron, String every, String timezone, JsonNode job,
        String overlap, String catchUp, Instant createdAt, Instant updatedAt) {

    /** Ticks of a cron expression in its zone, or every interval from the last save. */
    public Timing timing() {
        if (cron != null) {
            return CronTiming.parse(cron, ZoneId.of(timezone));
        }
        return new IntervalTiming(Duration.parse(every), updatedAt);
    }

    public Overlap overlapRule() {
        return Overlap.fromWireName(overlap);
    }

    public CatchUp catchUpRule() {
        return CatchUp.fromWireName(catchUp);
    }
}
