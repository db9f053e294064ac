package dev.conveyor.observe;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.conveyor.job.JobStatus;
import dev.conveyor.queue.QueueInspector;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * {@code conveyor_queue_jobs{queue,status}}: jobs per queue and status, read from Redis. A scrape reads the last
 * snapshot and, when it is older than a second, starts one refresh in the background (one round trip for all queues),
 * so scrapes never wait on Redis and Redis sees at most one refresh per scrape. Every pod reports the same global
 * counts: aggregate them with max(), not sum().
 */
@ApplicationScoped
public class QueueDepthMetrics {

    private static final long MAX_AGE_NANOS = 1_000_000_000L;

    private final QueueInspector inspector;
    private final MeterRegistry registry;
    private final Map<String, Map<JobStatus, Long>> snapshot = new ConcurrentHashMap<>();
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile long refreshedAt;

    QueueDepthMetrics(QueueInspector inspector, MeterRegistry registry) {
        this.inspector = inspector;
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) {
        // always present, so that a scrape refreshes the snapshot (and discovers new queues) even before any queue
        Gauge.builder("conveyor.queues", () -> {
            refreshIfStale();
            return snapshot.size();
        }).description("Queues known to Conveyor").register(registry);
        refresh();
    }

    private double read(String queue, JobStatus status) {
        refreshIfStale();
        return snapshot.getOrDefault(queue, Map.of()).getOrDefault(status, 0L);
    }

    private void refreshIfStale() {
        if (System.nanoTime() - refreshedAt > MAX_AGE_NANOS) {
            refresh();
        }
    }

    private void refresh() {
        if (!refreshing.compareAndSet(false, true)) {
            return;
        }
        inspector.queues().chain(inspector::counts).subscribe().with(counts -> {
            snapshot.putAll(counts);
            counts.keySet().forEach(this::register);
            refreshedAt = System.nanoTime();
            refreshing.set(false);
        }, failure -> refreshing.set(false));
    }

    private void register(String queue) {
        if (!registered.add(queue)) {
            return;
        }
        for (JobStatus status : JobStatus.values()) {
            Gauge.builder("conveyor.queue.jobs", () -> read(queue, status))
                    .description("Jobs in the queue by status, read from Redis")
                    .tag("queue", queue).tag("status", status.wireName())
                    .register(registry);
        }
    }
}
