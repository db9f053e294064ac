package dev.conveyor.queue;

import java.time.Instant;

/** A schedule whose tick has come: its definition (JSON) and the id of the last job it fired (null when none). */
public record DueSchedule(String name, Instant tick, String definition, String lastJob) {
}
