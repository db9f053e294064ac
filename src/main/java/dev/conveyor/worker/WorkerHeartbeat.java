package dev.conveyor.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.conveyor.queue.QueueStats;
import dev.conveyor.queue.ThroughputCounters;
import dev.conveyor.queue.WorkerEntry;
import dev.conveyor.queue.WorkerRegistry;
import dev.conveyor.role.WorkerRole;
import io.quarkus.scheduler.Scheduler;
import io.smallrye.mutiny.Uni;

/**
 * Every heartbeat interval, keeps this worker's entry in the worker registry fresh (it expires after three intervals
 * without one: a crashed worker drops out on its own) and adds the jobs it finished since the last beat to the
 * queues' throughput. A Redis outage is logged once and the beats go on; it never stops the claim loop. A graceful
 * stop stores the last counts and removes the entry at once.
 */
@ApplicationScoped
@WorkerRole
class WorkerHeartbeat implements WorkerComponent {

    private static final Logger LOG = Logger.getLogger(WorkerHeartbeat.class);
    private static final String JOB = "worker-heartbeat";
    /** An entry outlives this many missed beats. */
    private static final int LIFETIME_BEATS = 3;
    /** On shutdown, longest wait for the last beat's calls. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(3);

    private final WorkerRegistry registry;
    private final ThroughputCounters counters;
    private final ThroughputTally tally;
    private final ClaimLoop claimLoop;
    private final WorkerQueues queues;
    private final WorkerConfig config;
    private final Scheduler scheduler;
    private final String version;
    private final AtomicBoolean failing = new AtomicBoolean();
    private final AtomicBoolean full = new AtomicBoolean();
    private volatile Instant startedAt;

    WorkerHeartbeat(WorkerRegistry registry, ThroughputCounters counters, ThroughputTally tally, ClaimLoop claimLoop,
            WorkerQueues queues, WorkerConfig config, Scheduler scheduler,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "") String version) {
        this.registry = registry;
        this.counters = counters;
        this.tally = tally;
        this.claimLoop = claimLoop;
        this.queues = queues;
        this.config = config;
        this.scheduler = scheduler;
        this.version = version;
    }

    @Override
    public void start() {
        startedAt = Instant.now();
        PeriodicTask.schedule(scheduler, JOB, config.heartbeatInterval(), this::beat);
    }

    @Override
    public void stop() {
        scheduler.unscheduleJob(JOB);
        try {
            flush().chain(() -> registry.remove(claimLoop.workerId())).await().atMost(STOP_TIMEOUT);
        } catch (RuntimeException e) {
            LOG.warnf("worker %s: could not leave the worker registry (%s); its entry expires on its own",
                    claimLoop.workerId(), e.getMessage());
        }
    }

    /** Refreshes the entry, then stores the counts; never fails. */
    Uni<Void> beat() {
        return register().chain(this::flush)
                .invoke(() -> {
                    if (failing.compareAndSet(true, false)) {
                        LOG.infof("worker %s: heartbeat stored again", claimLoop.workerId());
                    }
                })
                .onFailure().invoke(failure -> {
                    if (failing.compareAndSet(false, true)) {
                        LOG.warnf("worker %s: heartbeat not stored (%s); trying again every %s", claimLoop.workerId(),
                                failure.getMessage(), config.heartbeatInterval());
                    }
                })
                .onFailure().recoverWithNull();
    }

    private Uni<Void> register() {
        return queues.current().chain(current -> registry.heartbeat(entry(current.names()),
                config.heartbeatInterval().multipliedBy(LIFETIME_BEATS)))
                .invoke(listed -> {
                    if (!listed && full.compareAndSet(false, true)) {
                        LOG.warnf("worker %s: the worker registry holds %d workers already; this one is not listed",
                                claimLoop.workerId(), WorkerRegistry.MAX_WORKERS);
                    } else if (listed) {
                        full.set(false);
                    }
                })
                .replaceWithVoid();
    }

    private WorkerEntry entry(List<String> queueNames) {
        String id = claimLoop.workerId();
        return new WorkerEntry(id, ClaimLoop.host(), ProcessHandle.current().pid(), queueNames, config.concurrency(),
                claimLoop.inFlight(), startedAt, Instant.now(), version);
    }

    /** Adds the counts taken from the tally to Redis; on failure they go back for the next beat. */
    private Uni<Void> flush() {
        Map<String, List<QueueStats.Minute>> taken = tally.take();
        return counters.add(taken).onFailure().invoke(() -> tally.putBack(taken));
    }
}
