package dev.conveyor.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class CronTimingTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void nextTicksOfADailyCronFollowTheWallClock() {
        CronTiming timing = CronTiming.parse("0 2 * * *", BERLIN);
        assertThat(timing.next(Instant.parse("2026-01-10T12:00:00Z"), 3)).containsExactly(
                Instant.parse("2026-01-11T01:00:00Z"), Instant.parse("2026-01-12T01:00:00Z"),
                Instant.parse("2026-01-13T01:00:00Z"));
    }

    @Test
    void aTickAtTheInstantItselfIsNotNext() {
        CronTiming timing = CronTiming.parse("*/5 * * * *", ZoneId.of("UTC"));
        Instant tick = Instant.parse("2026-05-01T10:05:00Z");
        assertThat(timing.nextAfter(tick)).contains(Instant.parse("2026-05-01T10:10:00Z"));
        assertThat(timing.latestAtOrBefore(tick)).contains(tick);
        assertThat(timing.latestAtOrBefore(tick.plusSeconds(299))).contains(tick);
    }

    @Test
    void springForwardRunsTheMissingTimeOnceAnHourLater() {
        // 2026-03-29: clocks go from 02:00 to 03:00 in Berlin, so 02:30 does not exist that day
        CronTiming timing = CronTiming.parse("30 2 * * *", BERLIN);
        List<Instant> ticks = timing.next(ZonedDateTime.of(2026, 3, 28, 12, 0, 0, 0, BERLIN).toInstant(), 3);
        assertThat(ticks).extracting(tick -> tick.atZone(BERLIN).toLocalDateTime().toString()).containsExactly(
                "2026-03-29T03:30", "2026-03-30T02:30", "2026-03-31T02:30");
        assertThat(ticks.get(0)).isEqualTo(Instant.parse("2026-03-29T01:30:00Z"));
    }

    @Test
    void fallBackRunsTheRepeatedTimeOnceAtItsFirstOccurrence() {
        // 2026-10-25: clocks go from 03:00 back to 02:00 in Berlin, so 02:30 happens twice (+02:00, then +01:00)
        CronTiming timing = CronTiming.parse("30 2 * * *", BERLIN);
        List<Instant> ticks = timing.next(ZonedDateTime.of(2026, 10, 24, 12, 0, 0, 0, BERLIN).toInstant(), 3);
        assertThat(ticks).containsExactly(Instant.parse("2026-10-25T00:30:00Z"), Instant.parse("2026-10-26T01:30:00Z"),
                Instant.parse("2026-10-27T01:30:00Z"));
        // asked from between the two 02:30s, the second one does not fire either
        assertThat(timing.nextAfter(Instant.parse("2026-10-25T00:45:00Z")))
                .contains(Instant.parse("2026-10-26T01:30:00Z"));
    }

    @Test
    void anHourlyCronOverTheSpringForwardWeekMissesOnlyTheSkippedHour() {
        CronTiming timing = CronTiming.parse("0 * * * *", BERLIN);
        Instant from = ZonedDateTime.of(2026, 3, 26, 0, 0, 0, 0, BERLIN).toInstant();
        Instant to = ZonedDateTime.of(2026, 4, 2, 0, 0, 0, 0, BERLIN).toInstant();
        List<Instant> ticks = ticksBetween(timing, from, to);
        // 7 days of 24 hours, less the hour that does not exist
        assertThat(ticks).hasSize(7 * 24 - 1).doesNotHaveDuplicates();
        assertThat(gaps(ticks)).containsOnly(Duration.ofHours(1));
        assertThat(ticks).extracting(tick -> tick.atZone(BERLIN).toLocalDateTime().toString())
                .doesNotContain("2026-03-29T02:00").contains("2026-03-29T01:00", "2026-03-29T03:00");
    }

    @Test
    void anHourlyCronOverTheFallBackWeekFiresEveryRealHourOnce() {
        CronTiming timing = CronTiming.parse("0 * * * *", BERLIN);
        Instant from = ZonedDateTime.of(2026, 10, 22, 0, 0, 0, 0, BERLIN).toInstant();
        Instant to = ZonedDateTime.of(2026, 10, 29, 0, 0, 0, 0, BERLIN).toInstant();
        List<Instant> ticks = ticksBetween(timing, from, to);
        Set<String> wallClock = new HashSet<>();
        ticks.forEach(tick -> wallClock.add(tick.atZone(BERLIN).toLocalDateTime().toString()));
        assertThat(ticks).doesNotHaveDuplicates();
        assertThat(gaps(ticks)).allSatisfy(gap -> assertThat(gap).isBetween(Duration.ofHours(1), Duration.ofHours(2)));
        // every wall-clock hour of the week fires once: 7 x 24 of them, the repeated 02:00 at its first occurrence
        assertThat(wallClock).hasSize(7 * 24);
        assertThat(ticks).hasSize(7 * 24);
    }

    @Test
    void invalidExpressionsAreRefusedWithAReason() {
        assertThatThrownBy(() -> CronTiming.parse("61 * * * *", BERLIN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("5 fields");
        assertThatThrownBy(() -> CronTiming.parse("* * * *", BERLIN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CronTiming.parse("0 0 0 * * *", BERLIN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CronTiming.parse("", BERLIN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCronOfADayThatNeverComesHasNoNextTick() {
        assertThat(CronTiming.parse("0 0 30 2 *", BERLIN).nextAfter(Instant.parse("2026-01-01T00:00:00Z"))).isEmpty();
    }

    private static List<Instant> ticksBetween(Timing timing, Instant from, Instant to) {
        List<Instant> ticks = new java.util.ArrayList<>();
        Instant tick = timing.nextAfter(from.minusMillis(1)).orElseThrow();
        while (tick.isBefore(to)) {
            ticks.add(tick);
            tick = timing.nextAfter(tick).orElseThrow();
        }
        return ticks;
    }

    private static List<Duration> gaps(List<Instant> ticks) {
        List<Duration> gaps = new java.util.ArrayList<>();
        for (int i = 1; i < ticks.size(); i++) {
            gaps.add(Duration.between(ticks.get(i - 1), ticks.get(i)));
        }
        return gaps;
    }
}
