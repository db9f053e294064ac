package dev.conveyor.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class IntervalTimingTest {

    private static final Instant ANCHOR = Instant.parse("2026-06-01T10:00:00.250Z");
    private final IntervalTiming every15Minutes = new IntervalTiming(Duration.ofMinutes(15), ANCHOR);

    @Test
    void ticksCountFromTheAnchor() {
        assertThat(every15Minutes.next(ANCHOR, 3)).containsExactly(Instant.parse("2026-06-01T10:15:00.250Z"),
                Instant.parse("2026-06-01T10:30:00.250Z"), Instant.parse("2026-06-01T10:45:00.250Z"));
        assertThat(every15Minutes.nextAfter(Instant.parse("2026-06-01T10:29:00Z")))
                .contains(Instant.parse("2026-06-01T10:30:00.250Z"));
    }

    @Test
    void theLatestTickIsAtOrBefore() {
        assertThat(every15Minutes.latestAtOrBefore(Instant.parse("2026-06-01T10:30:00.250Z")))
                .contains(Instant.parse("2026-06-01T10:30:00.250Z"));
        assertThat(every15Minutes.latestAtOrBefore(Instant.parse("2026-06-01T10:44:59Z")))
                .contains(Instant.parse("2026-06-01T10:30:00.250Z"));
        assertThat(every15Minutes.latestAtOrBefore(ANCHOR.minusMillis(1))).isEmpty();
    }
}
