package dev.conveyor.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Singleton;

import io.smallrye.mutiny.Uni;

/**
 * Jobs finished per minute and queue, as workers count them in memory and add them to Redis with each heartbeat
 * (one hash per queue, the last {@link #MINUTES_KEPT} minutes). Counting this way costs the job's own scripts nothing,
 * and does not depend on how many finished jobs retention keeps.
 */
@Singleton
public class ThroughputCounters {

    /** Minutes kept per queue: an hour, and the current minute. */
    public static final int MINUTES_KEPT = 61;
    /** A queue's counters expire this long after a worker last added to them. */
    private static final Duration KEY_LIFETIME = Duration.ofHours(2);

    private final RedisCalls redis;
    private final KeySpace keys;
    private final Scripts scripts;

    ThroughputCounters(RedisCalls redis, KeySpace keys, Scripts scripts) {
        this.redis = redis;
        this.keys = keys;
        this.scripts = scripts;
    }

    /** The minute (Unix time in minutes) that holds this instant (Unix time in ms). */
    public static long minuteOf(long epochMillis) {
        return Math.floorDiv(epochMillis, 60_000L);
    }

    /**
     * Adds counts per queue: one script call per queue, pipelined (on a cluster, one pipeline per node). Counts of
     * minutes older than the window are dropped, as are the window's older minutes in Redis.
     */
    public Uni<Void> add(Map<String, List<QueueStats.Minute>> perQueue) {
        if (perQueue.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String oldest = Long.toString(minuteOf(System.currentTimeMillis()) - MINUTES_KEPT + 1);
        List<List<String>> callKeys = new ArrayList<>();
        List<List<String>> args = new ArrayList<>();
        perQueue.forEach((queue, minutes) -> {
            callKeys.add(List.of(keys.queue(queue).throughput()));
            List<String> callArgs = new ArrayList<>(List.of(oldest, Long.toString(KEY_LIFETIME.toSeconds())));
            for (QueueStats.Minute minute : minutes) {
                callArgs.add(Long.toString(minuteOf(minute.start().toEpochMilli())));
                callArgs.add(Long.toString(minute.succeeded()));
                callArgs.add(Long.toString(minute.failed()));
            }
            args.add(callArgs);
        });
        return redis.scriptBatch(scripts.throughput, callKeys, args).replaceWithVoid();
    }
}
