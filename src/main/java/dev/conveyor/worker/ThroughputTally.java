package dev.conveyor.worker;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Singleton;

import dev.conveyor.queue.QueueStats;
import dev.conveyor.queue.ThroughputCounters;
import dev.conveyor.role.WorkerRole;

/**
 * This process' count of jobs finished per queue and minute (succeeded, failed for good) since the last heartbeat,
 * which adds them to Redis ({@link WorkerHeartbeat}). In memory only: counting adds nothing to a job's Redis calls.
 */
@Singleton
@WorkerRole
class ThroughputTally {

    /** queue -> minute (Unix time in minutes) -> {succeeded, failed} */
    private Map<String, Map<Long, long[]>> counts = new HashMap<>();

    void succeeded(String queue) {
        add(queue, ThroughputCounters.minuteOf(System.currentTimeMillis()), 1, 0);
    }

    void failed(String queue) {
        add(queue, ThroughputCounters.minuteOf(System.currentTimeMillis()), 0, 1);
    }

    private synchronized void add(String queue, long minute, long succeeded, long failed) {
        long[] pair = counts.computeIfAbsent(queue, q -> new HashMap<>()).computeIfAbsent(minute, m -> new long[2]);
        pair[0] += succeeded;
        pair[1] += failed;
    }

    /** The counts so far, per queue; the tally starts again from zero. */
    synchronized Map<String, List<QueueStats.Minute>> take() {
        Map<String, List<QueueStats.Minute>> taken = new HashMap<>();
        counts.forEach((queue, minutes) -> {
            List<QueueStats.Minute> list = new ArrayList<>();
            minutes.forEach((minute, pair) -> list.add(new QueueStats.Minute(Instant.ofEpochMilli(minute * 60_000L),
                    pair[0], pair[1])));
            taken.put(queue, list);
        });
        counts = new HashMap<>();
        return taken;
    }

    /** Counts taken but not stored (Redis unreachable): back into the tally, minutes past the window left out. */
    synchronized void putBack(Map<String, List<QueueStats.Minute>> taken) {
        long oldest = ThroughputCounters.minuteOf(System.currentTimeMillis()) - ThroughputCounters.MINUTES_KEPT + 1;
        taken.forEach((queue, minutes) -> minutes.forEach(minute -> {
            long m = ThroughputCounters.minuteOf(minute.start().toEpochMilli());
            if (m >= oldest) {
                add(queue, m, minute.succeeded(), minute.failed());
            }
        }));
    }
}
