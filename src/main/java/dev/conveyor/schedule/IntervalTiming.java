package dev.conveyor.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Ticks every {@code every} from an anchor (the time the schedule was created or last replaced), whatever the zone. */
public final class IntervalTiming implements Timing {

    private final long everyMs;
    private final long anchorMs;

    public IntervalTiming(Duration every, Instant anchor) {
        if (every.toMillis() <= 0) {
            throw new IllegalArgumentException("the interval must be at least 1 ms");
        }
        this.everyMs = every.toMillis();
        this.anchorMs = anchor.toEpochMilli();
    }

    @Override
    public Optional<Instant> nextAfter(Instant instant) {
        long since = instant.toEpochMilli() - anchorMs;
        long steps = since < 0 ? 0 : since / everyMs + 1;
        return Optional.of(Instant.ofEpochMilli(anchorMs + steps * everyMs));
    }

    @Override
    public Optional<Instant> latestAtOrBefore(Instant instant) {
        long since = instant.toEpochMilli() - anchorMs;
        if (since < 0) {
            return Optional.empty();
        }
        return Optional.of(Instant.ofEpochMilli(anchorMs + since / everyMs * everyMs));
    }
}
