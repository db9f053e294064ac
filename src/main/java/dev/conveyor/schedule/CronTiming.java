package dev.conveyor.schedule;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

/**
 * Ticks of a Unix cron expression (5 fields: minute hour day-of-month month day-of-week) on the wall clock of a time
 * zone. cron-utils parses the expression and finds matching wall-clock times; this class turns them into instants
 * with one rule for daylight-saving changes (cron-utils alone skips a missing time and fires a repeated one twice):
 * <ul>
 * <li>a wall-clock time that does not exist (spring forward) fires once, moved later by the length of the gap:
 * 02:30 in Europe/Berlin on 2026-03-29 fires at 03:30 (+02:00);</li>
 * <li>a wall-clock time that happens twice (fall back) fires once, at its first occurrence: 02:30 on 2026-10-25
 * fires at 02:30 +02:00, not again at 02:30 +01:00;</li>
 * <li>two wall-clock times that land on one instant fire once (an hourly cron's 02:00 and 03:00 on the spring-forward
 * day).</li>
 * </ul>
 */
public final class CronTiming implements Timing {

    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    /** Wall-clock times looked at per call at most; only a repeated hour of an every-minute cron needs more than 2. */
    private static final int MAX_STEPS = 1000;

    /** Matching times on a clock without daylight-saving changes: wall-clock times of the schedule's zone. */
    private final ExecutionTime wallClock;
    private final ZoneId zone;

    private CronTiming(Cron cron, ZoneId zone) {
        this.wallClock = ExecutionTime.forCron(cron);
        this.zone = zone;
    }

    /** @throws IllegalArgumentException with a reason a client can read, when the expression is not valid */
    public static CronTiming parse(String expression, ZoneId zone) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("must be a cron expression of 5 fields, such as 0 2 * * *");
        }
        Cron cron;
        try {
            cron = PARSER.parse(expression.trim()).validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not a cron expression of 5 fields (minute hour day-of-month month "
                    + "day-of-week), such as 0 2 * * *: " + e.getMessage());
        }
        return new CronTiming(cron, zone);
    }

    @Override
    public Optional<Instant> nextAfter(Instant instant) {
        ZonedDateTime local = onWallClock(instant.atZone(zone).toLocalDateTime());
        for (int step = 0; step < MAX_STEPS; step++) {
            Optional<ZonedDateTime> next = wallClock.nextExecution(local);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            Instant tick = instant(next.get());
            if (tick.isAfter(instant)) {
                return Optional.of(tick);
            }
            local = next.get();
        }
        return Optional.empty();
    }

    @Override
    public Optional<Instant> latestAtOrBefore(Instant instant) {
        ZonedDateTime local = onWallClock(instant.atZone(zone).toLocalDateTime());
        // lastExecution is strictly before its argument: from a second later, a tick at the instant itself counts
        Optional<ZonedDateTime> candidate = wallClock.lastExecution(local.plusSeconds(1));
        for (int step = 0; step < MAX_STEPS && candidate.isPresent(); step++) {
            if (!candidate.get().isAfter(local) && !instant(candidate.get()).isAfter(instant)) {
                return Optional.of(instant(candidate.get()));
            }
            candidate = wallClock.lastExecution(candidate.get());
        }
        return Optional.empty();
    }

    private static ZonedDateTime onWallClock(LocalDateTime local) {
        return local.atZone(ZoneOffset.UTC);
    }

    /** The instant of a wall-clock time: later by the gap when it does not exist, the first when it is repeated. */
    private Instant instant(ZonedDateTime wallClockTime) {
        return ZonedDateTime.ofLocal(wallClockTime.toLocalDateTime(), zone, null).toInstant();
    }
}
