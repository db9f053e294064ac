package dev.conveyor.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.conveyor.queue.Claim;
import dev.conveyor.queue.ClaimedJob;
import dev.conveyor.queue.JobStore;
import dev.conveyor.queue.WakeUps;
import dev.conveyor.role.WorkerRole;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The consumer loop. Each cycle claims as many jobs as there are free slots (up to {@code concurrency}), visiting
 * the queues in weighted order, and records the successes waiting for each queue in the same script call; with
 * nothing to claim it blocks on Redis until an enqueue, a retry or the next scheduled job wakes it (successes that
 * come in meanwhile are flushed on their own). Cycles never overlap: a cycle in progress is followed by another as
 * soon as it ends, and every finished job asks for one.
 */
@ApplicationScoped
@WorkerRole
public class WorkerLoop {

    private static final Logger LOG = Logger.getLogger(WorkerLoop.class);
    private static final Duration MAX_ERROR_BACKOFF = Duration.ofSeconds(2);
    /** After the shutdown timeout: how long handing unfinished jobs back may take. */
    private static final Duration HAND_BACK_TIMEOUT = Duration.ofSeconds(5);

    private final JobStore store;
    private final WakeUps wakeUps;
    private final JobRunner runner;
    private final WorkerConfig config;
    private final WorkerQueues queues;
    private final RunningJobs running;
    private final LeaseKeeper leaseKeeper;
    private final Reaper reaper;
    private final CancelListener cancelListener;
    private final WorkerMetrics metrics;
    /** host:pid:random, so that lease tokens (worker id + claim number) say which process holds a job. */
    private final String workerId = host() + ":" + ProcessHandle.current().pid() + ":"
            + UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong claims = new AtomicLong();
    private final Completions completions;
    private final AtomicBoolean cycling = new AtomicBoolean();
    /** A flush of successes runs while the loop waits for work. */
    private final AtomicBoolean flushing = new AtomicBoolean();
    /** The loop is blocked on Redis waiting for work: successes cannot ride along with a claim now. */
    private volatile boolean waiting;
    private volatile boolean stopping;
    private volatile int consecutiveErrors;
    private volatile Instant lastClaimAt;
    private volatile Instant lastHeartbeat;
    private volatile boolean started;

    WorkerLoop(JobStore store, WakeUps wakeUps, JobRunner runner, WorkerConfig config, WorkerQueues queues,
            RunningJobs running, LeaseKeeper leaseKeeper, Reaper reaper, CancelListener cancelListener,
            WorkerMetrics metrics, Completions completions) {
        this.metrics = metrics;
        this.completions = completions;
        this.store = store;
        this.wakeUps = wakeUps;
        this.runner = runner;
        this.config = config;
        this.queues = queues;
        this.running = running;
        this.leaseKeeper = leaseKeeper;
        this.reaper = reaper;
        this.cancelListener = cancelListener;
    }

    void start(@Observes StartupEvent event) {
        LOG.infof("worker %s: concurrency %d, queues %s", workerId, config.concurrency(),
                config.queues().filter(q -> !q.isBlank()).orElse("(every queue)"));
        leaseKeeper.start();
        reaper.start();
        cancelListener.start();
        completions.onPending(this::successWaiting);
        started = true;
        next();
    }

    private void successWaiting() {
        if (waiting) {
            flushWhileWaiting();
        } else {
            next();
        }
    }

    /**
     * Starts a cycle unless one is running or there is nothing to do: no success to record and no free slot (or
     * shutting down).
     */
    private void next() {
        boolean work = !completions.isEmpty() || (!stopping && running.size() < config.concurrency());
        if (!work || !cycling.compareAndSet(false, true)) {
            return;
        }
        cycle().subscribe().with(
                ignored -> {
                    consecutiveErrors = 0;
                    cycling.set(false);
                    next();
                },
                failure -> {
                    if (stopping && completions.isEmpty()) {
                        // the blocking connection is closed on shutdown: nothing to retry
                        cycling.set(false);
                        return;
                    }
                    Duration backoff = errorBackoff();
                    LOG.warnf("worker %s: %s; trying again in %d ms", workerId, failure.getMessage(), backoff.toMillis());
                    wakeUps.drop();
                    Uni.createFrom().voidItem().onItem().delayIt().by(backoff).subscribe().with(ignored -> {
                        cycling.set(false);
                        next();
                    });
                });
    }

    private static String host() {
        String host = System.getenv("HOSTNAME");
        return host == null || host.isBlank() ? "worker" : host;
    }

    private Duration errorBackoff() {
        int errors = Math.min(++consecutiveErrors, 10);
        Duration backoff = Duration.ofMillis(100L << (errors - 1));
        return backoff.compareTo(MAX_ERROR_BACKOFF) > 0 ? MAX_ERROR_BACKOFF : backoff;
    }

    private Uni<Void> cycle() {
        lastHeartbeat = Instant.now();
        return queues.current().chain(current -> {
            if (current.names().isEmpty()) {
                // nothing to block on yet: look for queues again later
                return Uni.createFrom().voidItem().onItem().delayIt().by(config.queueRefresh());
            }
            List<String> order = new ArrayList<>(current.drawOrder());
            // successes of a queue no longer served still need a call to record them
            completions.queues().stream().filter(queue -> !order.contains(queue)).forEach(order::add);
            return claimFrom(order, current.names(), new CycleState());
        });
    }

    /** What a cycle found so far. */
    private static final class CycleState {
        int claimed;
        /** A served queue was only asked to record successes (no free slot then): its due times are unknown. */
        boolean skippedQueue;
        Instant nextDue;
    }

    /**
     * Per queue in order: records its waiting successes and claims up to the free slots, in one call. Waits for work
     * when nothing was claimed and there is nothing else to do.
     */
    private Uni<Void> claimFrom(List<String> order, List<String> served, CycleState state) {
        if (order.isEmpty()) {
            boolean busy = state.claimed > 0 || state.skippedQueue || stopping || !completions.isEmpty()
                    || running.size() >= config.concurrency();
            return busy ? Uni.createFrom().voidItem() : idle(state.nextDue);
        }
        String queue = order.get(0);
        List<String> rest = order.subList(1, order.size());
        Completions.Batch done = completions.take(queue);
        boolean serving = !stopping && served.contains(queue);
        // the jobs whose success this call records free their slots
        int free = serving ? Math.max(0, config.concurrency() - running.size() + done.size()) : 0;
        if (serving && free == 0) {
            state.skippedQueue = true;
        }
        if (free == 0 && done.isEmpty()) {
            return claimFrom(rest, served, state);
        }
        String token = workerId + ":" + claims.incrementAndGet();
        return recordAndClaim(queue, free, token, done)
                .chain(claim -> {
                    claim.jobs().forEach(this::dispatch);
                    state.claimed += claim.jobs().size();
                    state.nextDue = earliest(state.nextDue, claim);
                    return claimFrom(rest, served, state);
                });
    }

    /** Records the waiting successes on their own, while the loop is blocked waiting for work. */
    private void flushWhileWaiting() {
        if (!flushing.compareAndSet(false, true)) {
            return;
        }
        Multi.createFrom().iterable(completions.queues())
                .onItem().transformToUniAndConcatenate(queue -> {
                    Completions.Batch done = completions.take(queue);
                    if (done.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    return recordAndClaim(queue, 0, "", done).replaceWithVoid();
                })
                .collect().last()
                .subscribe().with(
                        ignored -> {
                            flushing.set(false);
                            if (waiting && !completions.isEmpty()) {
                                flushWhileWaiting();
                            }
                        },
                        // left waiting: the next cycle carries them, when the wait ends or after its error backoff
                        failure -> flushing.set(false));
    }

    /** One claim call that also records the batch's successes; on failure they wait for the next call. */
    private Uni<Claim> recordAndClaim(String queue, int max, String token, Completions.Batch done) {
        return store.claim(queue, max, config.lease(), token, done.completions())
                .onFailure().invoke(done::putBack)
                .invoke(claim -> done.settle(claim.recorded()));
    }

    private static Instant earliest(Instant a, Claim claim) {
        Instant b = claim.nextDue();
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
    }

    /** Blocks on Redis until new work arrives, the next waiting job falls due, or the idle wait ends. */
    private Uni<Void> idle(Instant nextDue) {
        Duration wait = config.idleWait();
        if (nextDue != null) {
            Duration untilDue = Duration.between(Instant.now(), nextDue);
            if (untilDue.compareTo(wait) < 0) {
                wait = untilDue.isNegative() ? Duration.ZERO : untilDue;
            }
        }
        Duration bounded = waitAtLeastOneMilli(wait);
        waiting = true;
        if (!completions.isEmpty()) {
            flushWhileWaiting();
        }
        return queues.current().chain(current -> wakeUps.await(current.names(), bounded))
                .eventually(() -> {
                    waiting = false;
                })
                .invoke(woken -> {
                    if (woken) {
                        queues.refreshNext();
                    }
                })
                .replaceWithVoid();
    }

    private static Duration waitAtLeastOneMilli(Duration wait) {
        return wait.toMillis() < 1 ? Duration.ofMillis(1) : wait;
    }

    private void dispatch(ClaimedJob job) {
        RunningJob run = new RunningJob(job);
        metrics.beforeInFlightChange();
        running.add(run);
        lastClaimAt = Instant.now();
        metrics.started(job, lastClaimAt);
        runner.run(run).subscribe().with(ignored -> finished(run), failure -> finished(run));
    }

    private void finished(RunningJob run) {
        metrics.beforeInFlightChange();
        running.remove(run);
        next();
    }

    /**
     * Graceful shutdown: stop claiming, give running jobs up to the shutdown timeout to finish, then hand the rest
     * back to their queues at once (they do not wait for a lease to expire).
     */
    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        stopping = true;
        LOG.infof("worker %s: shutting down with %d jobs running", workerId, running.size());
        if (!running.awaitEmpty(config.shutdownTimeout())) {
            LOG.warnf("worker %s: handing %d unfinished jobs back to their queues", workerId, running.size());
            running.all().forEach(job -> job.stop(RunningJob.StopReason.SHUTDOWN));
            running.awaitEmpty(HAND_BACK_TIMEOUT);
        }
        leaseKeeper.stop();
        reaper.stop();
        cancelListener.stop();
        wakeUps.drop();
    }

    public int inFlight() {
        return running.size();
    }

    public Instant lastClaimAt() {
        return lastClaimAt;
    }

    /** When the loop last began a cycle (claim, wait, or backoff after an error). */
    public Instant lastHeartbeat() {
        return lastHeartbeat;
    }

    public boolean isStarted() {
        return started;
    }

    public boolean isStopping() {
        return stopping;
    }
}
