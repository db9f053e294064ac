package dev.conveyor.schedule;

import java.time.Duration;
import java.time.Instant;

/**
 * What to do with a schedule's due tick: fire it (or the latest missed tick instead), or skip, and which tick comes
 * next. A tick later than the misfire grace counts as missed: missed ticks are never fired one by one, so an outage
 * ends with at most one job per schedule ({@code catchUp: latest}) or none ({@code catchUp: none}).
 *
 * @param fire the tick to fire a job for; null when nothing fires
 * @param missed the latest missed tick skipped by {@code catchUp: none}; null otherwise
 * @param next the tick after; null when the schedule never fires again
 */
public record TickPlan(Instant fire, Instant missed, Instant next) {

    public static TickPlan of(Timing timing, Instant due, Instant now, Duration grace, CatchUp catchUp) {
        if (!now.isAfter(due.plus(grace))) {
            return new TickPlan(due, null, timing.nextAfter(due).orElse(null));
        }
        // late beyond the grace: the latest tick that has passed stands for all the missed ones
        Instant latest = timing.latestAtOrBefore(now).filter(tick -> !tick.isBefore(due)).orElse(due);
        Instant next = timing.nextAfter(latest).orElse(null);
        if (!now.isAfter(latest.plus(grace))) {
            // the latest tick itself is still within the grace: fire it, as if the earlier ones were missed
            return new TickPlan(latest, null, next);
        }
        return catchUp == CatchUp.LATEST ? new TickPlan(latest, null, next) : new TickPlan(null, latest, next);
    }
}
