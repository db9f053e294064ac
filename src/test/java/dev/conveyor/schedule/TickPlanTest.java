package dev.conveyor.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class TickPlanTest {

    private static final Instant ANCHOR = Instant.parse("2026-06-01T00:00:00Z");
    private static final Duration GRACE = Duration.ofMinutes(1);
    private final Timing everyFiveMinutes = new IntervalTiming(Duration.ofMinutes(5), ANCHOR);

    @Test
    void aTickOnTimeFires() {
        Instant due = ANCHOR.plus(Duration.ofMinutes(5));
        TickPlan plan = TickPlan.of(everyFiveMinutes, due, due.plusMillis(3), GRACE, CatchUp.NONE);
        assertThat(plan).isEqualTo(new TickPlan(due, null, due.plus(Duration.ofMinutes(5))));
    }

    @Test
    void aTickLateWithinTheGraceStillFires() {
        Instant due = ANCHOR.plus(Duration.ofMinutes(5));
        TickPlan plan = TickPlan.of(everyFiveMinutes, due, due.plusSeconds(59), GRACE, CatchUp.NONE);
        assertThat(plan.fire()).isEqualTo(due);
        assertThat(plan.missed()).isNull();
    }

    @Test
    void missedTicksWithCatchUpNoneFireNothingAndGoOnWithTheNextFutureTick() {
        Instant due = ANCHOR.plus(Duration.ofMinutes(5));
        Instant now = ANCHOR.plus(Duration.ofMinutes(62));
        TickPlan plan = TickPlan.of(everyFiveMinutes, due, now, GRACE, CatchUp.NONE);
        assertThat(plan).isEqualTo(new TickPlan(null, ANCHOR.plus(Duration.ofMinutes(60)),
                ANCHOR.plus(Duration.ofMinutes(65))));
    }

    @Test
    void missedTicksWithCatchUpLatestFireTheLatestOnceOnly() {
        Instant due = ANCHOR.plus(Duration.ofMinutes(5));
        Instant now = ANCHOR.plus(Duration.ofMinutes(62));
        TickPlan plan = TickPlan.of(everyFiveMinutes, due, now, GRACE, CatchUp.LATEST);
        assertThat(plan).isEqualTo(new TickPlan(ANCHOR.plus(Duration.ofMinutes(60)), null,
                ANCHOR.plus(Duration.ofMinutes(65))));
        // once moved to that tick, it fires as it is, with the next future tick after it
        Instant latest = plan.fire();
        assertThat(TickPlan.of(everyFiveMinutes, latest, now, GRACE, CatchUp.LATEST))
                .isEqualTo(new TickPlan(latest, null, ANCHOR.plus(Duration.ofMinutes(65))));
    }

    @Test
    void afterAnOutageTheLatestTickWithinTheGraceFiresWhateverTheCatchUp() {
        Instant due = ANCHOR.plus(Duration.ofMinutes(5));
        Instant now = ANCHOR.plus(Duration.ofMinutes(60)).plusSeconds(10);
        for (CatchUp catchUp : CatchUp.values()) {
            assertThat(TickPlan.of(everyFiveMinutes, due, now, GRACE, catchUp))
                    .isEqualTo(new TickPlan(ANCHOR.plus(Duration.ofMinutes(60)), null, ANCHOR.plus(Duration.ofMinutes(65))));
        }
    }

    @Test
    void aCronMissedOvernightFiresItsLatestTickOnce() {
        Timing nightly = CronTiming.parse("0 2 * * *", java.time.ZoneId.of("Europe/Berlin"));
        Instant due = Instant.parse("2026-06-02T00:00:00Z");
        Instant now = Instant.parse("2026-06-05T09:00:00Z");
        assertThat(TickPlan.of(nightly, due, now, GRACE, CatchUp.LATEST)).isEqualTo(new TickPlan(
                Instant.parse("2026-06-05T00:00:00Z"), null, Instant.parse("2026-06-06T00:00:00Z")));
        assertThat(TickPlan.of(nightly, due, now, GRACE, CatchUp.NONE)).isEqualTo(new TickPlan(null,
                Instant.parse("2026-06-05T00:00:00Z"), Instant.parse("2026-06-06T00:00:00Z")));
    }
}
