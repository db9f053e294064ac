package dev.conveyor.schedule;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code conveyor_schedule_fired_total{schedule}}: ticks that enqueued their job;
 * {@code conveyor_schedule_skipped_total{schedule,reason}}: ticks that did not (overlap, missed, invalid, refused).
 * Counted once per tick, by the replica that moved the schedule on.
 */
@Singleton
class ScheduleMetrics {

    private final MeterRegistry registry;

    ScheduleMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void fired(String schedule) {
        registry.counter("conveyor.schedule.fired", "schedule", schedule).increment();
    }

    void skipped(String schedule, String reason) {
        registry.counter("conveyor.schedule.skipped", "schedule", schedule, "reason", reason).increment();
    }
}
