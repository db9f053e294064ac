package dev.conveyor.observe;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.conveyor.job.JobStatus;
import dev.conveyor.job.QueueName;
import dev.conveyor.queue.QueueInspector;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.http.ManagementInterface;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code conveyor_queue_jobs{queue,status}}: jobs per queue and status, read from Redis; the worker autoscalers
 * scale on it. While {@code /q/metrics} is scraped, a snapshot of all queues is refreshed every second in the
 * background; two minutes after the last scrape the refresh stops. A scrape that finds the snapshot older than two
 * seconds (the first one, or the first after a pause) waits for a fresh one, so every scrape shows data at most
 * about two seconds old. The {@code default} queue is always reported, so the series exist before any job. Every pod
 * reports the same global counts: aggregate them with max(), not sum().
 */
@ApplicationScoped
public class QueueDepthMetrics {

    static final long MAX_AGE_NANOS = Duration.ofSeconds(2).toNanos();
    static final long IDLE_AFTER_NANOS = Duration.ofMinutes(2).toNanos();
    /** Longest a scrape waits for fresh counts; past it, it shows the last ones. */
    private static final Duration SCRAPE_WAIT = Duration.ofSeconds(1);

    private final QueueInspector inspector;
    private final MeterRegistry registry;
    private final String metricsPath;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Uni<Void>> running = new AtomicReference<>();
    private volatile Snapshot snapshot = Snapshot.none();
    private volatile long scrapedAt = System.nanoTime() - IDLE_AFTER_NANOS;

    /** Counts per queue (the default queue included), the queues Redis knows, and when they were read. */
    record Snapshot(Map<String, Map<JobStatus, Long>> counts, int queues, long takenAt) {

        static Snapshot none() {
            return new Snapshot(Map.of(QueueName.DEFAULT, Map.of()), 0, System.nanoTime() - MAX_AGE_NANOS - 1);
        }

        boolean isFresh(long now) {
            return now - takenAt <= MAX_AGE_NANOS;
        }
    }

    QueueDepthMetrics(QueueInspector inspector, MeterRegistry registry,
            @ConfigProperty(name = "quarkus.management.root-path", defaultValue = "/q") String managementRoot,
            @ConfigProperty(name = "quarkus.micrometer.export.prometheus.path", defaultValue = "metrics") String path) {
        this.inspector = inspector;
        this.registry = registry;
        this.metricsPath = path.startsWith("/") ? path : managementRoot.replaceAll("/+$", "") + "/" + path;
    }

    void start(@Observes StartupEvent event) {
        Gauge.builder("conveyor.queues", () -> snapshot.queues()).description("Queues known to Conveyor")
                .register(registry);
        register(QueueName.DEFAULT);
    }

    /** Runs before the Prometheus handler: notes the scrape, and lets it through once the counts are fresh. */
    void watchScrapes(@Observes ManagementInterface management) {
        management.router().route(metricsPath).order(0).handler(this::beforeScrape);
    }

    private void beforeScrape(RoutingContext scrape) {
        long now = System.nanoTime();
        scrapedAt = now;
        if (snapshot.isFresh(now)) {
            scrape.next();
            return;
        }
        Context context = Vertx.currentContext();
        refresh().ifNoItem().after(SCRAPE_WAIT).fail()
                .subscribe().with(done -> context.runOnContext(v -> scrape.next()),
                        failure -> context.runOnContext(v -> scrape.next()));
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refreshWhileScraped() {
        return System.nanoTime() - scrapedAt < IDLE_AFTER_NANOS ? refresh() : Uni.createFrom().voidItem();
    }

    /** One read at a time: a scrape that finds one running waits for it rather than starting another. */
    private Uni<Void> refresh() {
        Uni<Void> current = running.get();
        if (current != null) {
            return current;
        }
        Uni<Void> read = read().invoke(this::apply).replaceWithVoid()
                .onFailure().recoverWithNull()
                .eventually(() -> running.set(null))
                .memoize().indefinitely();
        return running.compareAndSet(null, read) ? read : refresh();
    }

    /**
     * The queue registry and the counts of the queues already known, read in parallel: one round trip's time. A
     * queue the registry names for the first time costs one more.
     */
    private Uni<Snapshot> read() {
        List<String> known = List.copyOf(snapshot.counts().keySet());
        return Uni.combine().all().unis(inspector.queues(), inspector.counts(known)).asTuple().chain(both -> {
            List<String> queues = both.getItem1();
            Map<String, Map<JobStatus, Long>> counts = new LinkedHashMap<>(both.getItem2());
            List<String> added = queues.stream().filter(queue -> !counts.containsKey(queue)).toList();
            Uni<Map<String, Map<JobStatus, Long>>> more = added.isEmpty() ? Uni.createFrom().item(Map.of())
                    : inspector.counts(added);
            return more.map(extra -> {
                counts.putAll(extra);
                return new Snapshot(counts, queues.size(), System.nanoTime());
            });
        });
    }

    private void apply(Snapshot fresh) {
        snapshot = fresh;
        fresh.counts().keySet().forEach(this::register);
    }

    private void register(String queue) {
        if (!registered.add(queue)) {
            return;
        }
        for (JobStatus status : JobStatus.values()) {
            Gauge.builder("conveyor.queue.jobs", () -> snapshot.counts().getOrDefault(queue, Map.of())
                    .getOrDefault(status, 0L))
                    .description("Jobs in the queue by status, read from Redis")
                    .tag("queue", queue).tag("status", status.wireName())
                    .register(registry);
        }
    }
}
