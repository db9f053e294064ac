package dev.conveyor.schedule;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;

/** {@code conveyor.schedules.*}: limits and timing of cron and interval schedules. Defaults in application.properties. */
@ConfigMapping(prefix = "conveyor.schedules")
public interface SchedulesConfig {

    /** Shortest {@code every} a schedule may have. */
    Duration minInterval();

    /** Most schedules; creating one more is refused (409). */
    int maxCount();

    /** Longest time between two reads of the due schedules, so that schedules saved by other replicas are seen. */
    Duration pollInterval();

    /** How late a tick may fire and still count as on time; later, it is missed and {@code catchUp} decides. */
    Duration misfireGrace();
}
