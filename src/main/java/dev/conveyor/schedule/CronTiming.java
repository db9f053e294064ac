package dev.conveyor.schedule;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

/**
 * Ticks of a Unix cron expression (5 fields: minute hour day-of-month month day-of-week) on the wall clock of a time
 * zone, computed by cron-utils on {@code ZonedDateTime}s, which is where daylight-saving changes are handled: a
 * wall-clock time that does not exist on the spring-forward day fires once, at the same offset into the gap (02:30
 * becomes 03:30 in Europe/Berlin); one that happens twice on the fall-back day fires once, at its first occurrence.
 */
public final class CronTiming implements Timing {

    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private final ExecutionTime times;
    private final ZoneId zone;

    private CronTiming(Cron cron, ZoneId zone) {
        this.times = ExecutionTime.forCron(cron);
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
        return times.nextExecution(instant.atZone(zone)).map(time -> time.toInstant());
    }

    @Override
    public Optional<Instant> latestAtOrBefore(Instant instant) {
        // lastExecution is strictly before: ask from just after the instant so that a tick at it counts
        return times.lastExecution(instant.plusMillis(1).atZone(zone)).map(time -> time.toInstant());
    }
}
