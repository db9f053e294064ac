package dev.conveyor.queue;

import java.time.Instant;
import java.util.List;

/** The schedules due now, and the earliest tick after now (null when none, or when more are due than were read). */
public record DueSchedules(List<DueSchedule> due, Instant next) {
}
