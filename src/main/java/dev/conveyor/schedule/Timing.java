package dev.conveyor.schedule;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** When a schedule's ticks fall: a cron expression in a time zone, or a fixed interval. */
public interface Timing {

    /** The first tick strictly after {@code instant}; empty when there is none (the schedule never fires again). */
    Optional<Instant> nextAfter(Instant instant);

    /** The last tick at or before {@code instant}; empty when there is none. */
    Optional<Instant> latestAtOrBefore(Instant instant);

    /** The next {@code count} ticks strictly after {@code instant} (fewer when the schedule ends). */
    default List<Instant> next(Instant instant, int count) {
        List<Instant> ticks = new ArrayList<>(count);
        Instant from = instant;
        while (ticks.size() < count) {
            Optional<Instant> tick = nextAfter(from);
            if (tick.isEmpty()) {
                break;
            }
            ticks.add(tick.get());
            from = tick.get();
        }
        return ticks;
    }
}
