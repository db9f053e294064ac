package dev.conveyor.worker;

import java.util.List;

import jakarta.inject.Singleton;

import dev.conveyor.job.QueueName;
import dev.conveyor.queue.QueueInspector;
import dev.conveyor.role.WorkerRole;
import io.smallrye.mutiny.Uni;

/**
 * The queues this worker serves: the configured ones, or else every queue, re-read from Redis every
 * {@code conveyor.worker.queue-refresh} and after each wake-up (the {@code default} queue is always served, and a new
 * queue's first enqueue wakes a worker through it).
 */
@Singleton
@WorkerRole
class WorkerQueues {

    private final QueueInspector inspector;
    private final WorkerConfig config;
    private final WeightedQueues configured;
    private volatile WeightedQueues discovered = WeightedQueues.equal(List.of(QueueName.DEFAULT));
    private volatile long discoveredAt;

    WorkerQueues(QueueInspector inspector, WorkerConfig config) {
        this.inspector = inspector;
        this.config = config;
        this.configured = config.queues().filter(spec -> !spec.isBlank()).map(WeightedQueues::parse).orElse(null);
    }

    /** After a wake-up: the next call re-reads the queues, in case the wake-up came from a new queue. */
    void refreshNext() {
        discoveredAt = 0;
    }

    Uni<WeightedQueues> current() {
        if (configured != null) {
            return Uni.createFrom().item(configured);
        }
        long now = System.nanoTime();
        if (discoveredAt != 0 && now - discoveredAt < config.queueRefresh().toNanos()) {
            return Uni.createFrom().item(discovered);
        }
        return inspector.queues().map(names -> {
            List<String> all = names.contains(QueueName.DEFAULT) ? names
                    : java.util.stream.Stream.concat(java.util.stream.Stream.of(QueueName.DEFAULT), names.stream()).toList();
            discovered = WeightedQueues.equal(all);
            discoveredAt = now;
            return discovered;
        });
    }
}
