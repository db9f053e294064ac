package dev.conveyor.queue;

import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * Knows how much of Redis Conveyor uses and may use, and stops new jobs before that budget is spent: above
 * {@code conveyor.queue.enqueue-memory-limit} of the budget ({@code conveyor.queue.memory-budget}, capped at Redis'
 * {@code maxmemory}; else {@code maxmemory}) enqueues are refused, so that workers keep room to record outcomes.
 * Reads {@code INFO memory} once a second, not once per enqueue, from the first enqueue or metrics scrape of the
 * process on (an unscraped worker, which never enqueues, never reads it).
 */
@Singleton
public class MemoryGuard {

    private static final Logger LOG = Logger.getLogger(MemoryGuard.class);
    static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
    private static final Pattern USED = Pattern.compile("^used_memory:(\\d+)", Pattern.MULTILINE);
    private static final Pattern MAX = Pattern.compile("^maxmemory:(\\d+)", Pattern.MULTILINE);

    private final RedisCalls redis;
    private final Scripts scripts;
    private final QueueConfig config;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile Reading last;
    private volatile boolean full;
    private volatile Cancellable polling;

    /** Redis' {@code used_memory} and {@code maxmemory} (0: none), in bytes, from one {@code INFO memory} answer. */
    record Reading(long used, long maxmemory) {

        static Optional<Reading> parse(String info) {
            Matcher used = USED.matcher(info);
            Matcher max = MAX.matcher(info);
            if (!used.find() || !max.find()) {
                return Optional.empty();
            }
            return Optional.of(new Reading(Long.parseLong(used.group(1)), Long.parseLong(max.group(1))));
        }

        /** The bytes Conveyor may use: {@code configured} (0: none) capped at maxmemory, else maxmemory; 0: no budget. */
        long budget(long configured) {
            if (configured > 0 && maxmemory > 0) {
                return Math.min(configured, maxmemory);
            }
            return configured > 0 ? configured : maxmemory;
        }

        /** The share of the budget in use; 0 without a budget. */
        double share(long configured) {
            long budget = budget(configured);
            return budget > 0 ? (double) used / budget : 0;
        }

        /** Whether the use is above {@code limit} of the budget (never without a budget). */
        boolean aboveLimit(double limit, long configured) {
            long budget = budget(configured);
            return budget > 0 && used > limit * budget;
        }
    }

    MemoryGuard(RedisCalls redis, Scripts scripts, QueueConfig config) {
        this.redis = redis;
        this.scripts = scripts;
        this.config = config;
    }

    /** @throws RedisFullException while Redis' memory use is above the limit (as of the last reading) */
    void admitNewJobs() {
        watch();
        if (full) {
            throw new RedisFullException("Redis' memory use is above " + config.enqueueMemoryLimit()
                    + " of Conveyor's memory budget: no new jobs until memory frees up", null);
        }
    }

    /** Redis' {@code used_memory} in bytes as of the last reading; NaN before the first. */
    public double usedBytes() {
        watch();
        Reading reading = last;
        return reading == null ? Double.NaN : reading.used();
    }

    /** The memory budget in bytes as of the last reading; NaN before the first, or while there is no budget. */
    public double budgetBytes() {
        watch();
        Reading reading = last;
        long budget = reading == null ? 0 : reading.budget(configuredBudget());
        return budget > 0 ? budget : Double.NaN;
    }

    private long configuredBudget() {
        return config.memoryBudget().asLongValue();
    }

    /** Starts the readings, once. */
    private void watch() {
        if (started.compareAndSet(false, true)) {
            polling = Multi.createFrom().ticks().every(POLL_INTERVAL).onOverflow().drop()
                    .onItem().transformToUniAndConcatenate(tick -> read())
                    .subscribe().with(ignored -> { });
            read().subscribe().with(ignored -> { });
        }
    }

    /** A failed reading keeps the last state: an unreachable Redis refuses enqueues on its own. */
    private Uni<Void> read() {
        Uni<Optional<Reading>> reading = redis.cluster() ? fullestPrimary()
                : redis.send(Request.cmd(Command.INFO).arg("memory")).map(info -> Reading.parse(info.toString()));
        return reading.invoke(found -> found.ifPresent(this::apply))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /**
     * On a cluster every primary holds its own queues and its own {@code maxmemory}: the guard follows the one
     * nearest its limit. A primary is reached through a key of one of its slots (a script that reads INFO), as the
     * client routes commands by key only.
     */
    private Uni<Optional<Reading>> fullestPrimary() {
        return redis.send(Request.cmd(Command.CLUSTER).arg("SLOTS")).chain(ranges -> {
            Map<String, String> keyPerPrimary = new LinkedHashMap<>();
            for (Response range : ranges) {
                Response primary = range.get(2);
                keyPerPrimary.putIfAbsent(primary.get(0) + ":" + primary.get(1),
                        HashTag.keyInSlots(range.get(0).toInteger(), range.get(1).toInteger()));
            }
            List<Uni<Optional<Reading>>> readings = keyPerPrimary.values().stream()
                    .map(key -> redis.script(scripts.nodeMemory, List.of(key), List.of())
                            .map(info -> Reading.parse(info.toString())))
                    .toList();
            return Uni.join().all(readings).andFailFast().map(all -> all.stream().flatMap(Optional::stream)
                    .max(Comparator.comparingDouble(r -> r.share(configuredBudget()))));
        });
    }

    private void apply(Reading reading) {
        last = reading;
        boolean now = reading.aboveLimit(config.enqueueMemoryLimit(), configuredBudget());
        if (now != full) {
            LOG.warnf(now ? "Redis' memory use is above %s of Conveyor's memory budget: new jobs are refused"
                    : "Redis' memory use is below %s of Conveyor's memory budget again: new jobs are accepted",
                    config.enqueueMemoryLimit());
        }
        full = now;
    }

    @PreDestroy
    void stop() {
        Cancellable running = polling;
        if (running != null) {
            running.cancel();
        }
    }
}
