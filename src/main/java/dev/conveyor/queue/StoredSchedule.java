package dev.conveyor.queue;

import java.time.Instant;

/**
 * A schedule as stored: its definition (JSON, the schedule package's to read), its next tick (null when paused or
 * when it never fires again), whether it is paused, its last run (JSON, null before the first) and the id of the last
 * job it fired (null before the first).
 */
public record StoredSchedule(String name, String definition, Instant nextTick, boolean paused, String lastRun,
        String lastJob) {
}
