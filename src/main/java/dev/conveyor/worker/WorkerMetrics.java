package dev.conveyor.worker;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

import dev.conveyor.queue.ClaimedJob;
import dev.conveyor.role.WorkerRole;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The worker's Prometheus metrics (names in docs/operations.md): jobs finished by outcome, run and wait time histograms,
 * jobs in flight, concurrency and utilization. Labels are queue and type only (bounded sets), never a job id.
 */
@Singleton
@WorkerRole
public class WorkerMetrics {

    public enum Outcome {
        SUCCEEDED, FAILED, RETRIED, CANCELLED, TIMED_OUT, RECOVERED;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Duration[] BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15) };

    private final MeterRegistry registry;
    private final RunningJobs running;
    private final Map<String, Map<String, Meters>> byQueueAndType = new ConcurrentHashMap<>();
    private final Map<String, LimitMeters> byQueueAndLimit = new ConcurrentHashMap<>();
    private final int concurrency;
    /** Integral of jobs in flight over time (job-nanoseconds), for the utilization gauge. */
    private double busyIntegral;
    private long integralUpdatedAt = System.nanoTime();
    private double busyAtLastRead;
    private long lastReadAt = System.nanoTime();

    WorkerMetrics(MeterRegistry registry, RunningJobs running, WorkerConfig config) {
        this.registry = registry;
        this.running = running;
        this.concurrency = config.concurrency();
        Gauge.builder("conveyor.worker.jobs.in.flight", running, RunningJobs::size)
                .description("Jobs this worker is running now").register(registry);
        Gauge.builder("conveyor.worker.concurrency", () -> concurrency)
                .description("Most jobs this worker runs at once").register(registry);
        Gauge.builder("conveyor.worker.utilization", this, WorkerMetrics::utilizationSinceLastRead)
                .description("Average share of the worker's slots in use since the previous scrape (0..1)")
                .register(registry);
    }

    /** Call before the number of running jobs changes. */
    synchronized void beforeInFlightChange() {
        long now = System.nanoTime();
        busyIntegral += (double) running.size() * (now - integralUpdatedAt);
        integralUpdatedAt = now;
    }

    private synchronized double utilizationSinceLastRead() {
        beforeInFlightChange();
        long now = integralUpdatedAt;
        double busy = busyIntegral - busyAtLastRead;
        long elapsed = now - lastReadAt;
        busyAtLastRead = busyIntegral;
        lastReadAt = now;
        return elapsed <= 0 ? 0 : Math.min(1.0, busy / ((double) concurrency * elapsed));
    }

    void started(ClaimedJob job, java.time.Instant at) {
        Duration waited = Duration.between(job.readyAt(), at);
        meters(job.id().queue(), job.type()).waited.record(waited.isNegative() ? Duration.ZERO : waited);
    }

    void ran(ClaimedJob job, long nanos) {
        meters(job.id().queue(), job.type()).ran.record(Duration.ofNanos(nanos));
    }

    void finished(String queue, String type, Outcome outcome) {
        meters(queue, type).finished.get(outcome).increment();
    }

    /** A claim of the queue was held back by its limit ({@code rate} or {@code concurrency}). */
    void heldByLimit(String queue, String limit) {
        limitMeters(queue, limit).held.increment();
    }

    /** How long this worker waited on the queue's limit before claiming from it again. */
    void waitedOnLimit(String queue, String limit, Duration waited) {
        limitMeters(queue, limit).waited.record(waited.isNegative() ? Duration.ZERO : waited);
    }

    private LimitMeters limitMeters(String queue, String limit) {
        return byQueueAndLimit.computeIfAbsent(queue + "\n" + limit, key -> new LimitMeters(
                Counter.builder("conveyor.queue.limited.claims")
                        .description("Claims that a queue's limit held back while jobs waited")
                        .tag("queue", queue).tag("limit", limit).register(registry),
                Timer.builder("conveyor.queue.limit.wait")
                        .description("Time a worker waited on a queue's limit before claiming from it again")
                        .tag("queue", queue).tag("limit", limit).serviceLevelObjectives(BUCKETS)
                        .register(registry)));
    }

    private record LimitMeters(Counter held, Timer waited) {
    }

    /** Built once per queue and type: looking meters up in the registry for every job is costly. */
    private Meters meters(String queue, String type) {
        return byQueueAndType.computeIfAbsent(queue, q -> new ConcurrentHashMap<>())
                .computeIfAbsent(type, t -> new Meters(queue, type));
    }

    private final class Meters {
        final Timer waited;
        final Timer ran;
        final Map<Outcome, Counter> finished = new EnumMap<>(Outcome.class);

        Meters(String queue, String type) {
            waited = timer("conveyor.job.wait", "Time from runnable (queued, or due) to started", queue, type);
            ran = timer("conveyor.job.duration", "Run time of one attempt", queue, type);
            for (Outcome outcome : Outcome.values()) {
                finished.put(outcome, Counter.builder("conveyor.jobs.finished").description("Attempts ended, by outcome")
                        .tag("queue", queue).tag("type", type).tag("outcome", outcome.label())
                        .register(registry));
            }
        }

        private Timer timer(String name, String description, String queue, String type) {
            return Timer.builder(name).description(description).tag("queue", queue).tag("type", type)
                    .serviceLevelObjectives(BUCKETS)
                    .register(registry);
        }
    }
}
