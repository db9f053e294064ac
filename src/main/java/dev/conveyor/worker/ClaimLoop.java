package dev.conveyor.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.conveyor.job.JobStatus;
import dev.conveyor.queue.Claim;
import dev.conveyor.queue.ClaimedJob;
import dev.conveyor.queue.JobStore;
import dev.conveyor.queue.WakeUps;
import dev.conveyor.role.WorkerRole;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Claims jobs and dispatches them. Each cycle claims as many jobs as there are free slots (up to
 * {@code concurrency}), visiting the queues in weighted order; the same script call records the successes waiting
 * for that queue. With nothing to claim it blocks on Redis until an enqueue, a retry or the next scheduled job wakes
 * it (successes that come in meanwhile are recorded on their own). Cycles never overlap: a cycle in progress is
 * followed by another as soon as it ends, and every finished job asks for one.
 *
 * <p>A job's way: {@link #claimFrom} claims it, {@link #dispatch} runs it ({@link JobRunner}); a success waits in
 * {@link PendingSuccesses} for the next claim call of its queue ({@link #recordAndClaim}), any other outcome is
 * recorded at once ({@link OutcomeRecorder}); the job's last progress report, if one waits, is stored before either
 * ({@link ProgressReports}).
 */
@ApplicationScoped
@WorkerRole
public class ClaimLoop implements WorkerComponent {

    private static final Logger LOG = Logger.getLogger(ClaimLoop.class);
    private static final Duration FIRST_ERROR_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_ERROR_BACKOFF = Duration.ofSeconds(2);
    /** After the shutdown timeout: how long handing unfinished jobs back may take. */
    private static final Duration HAND_BACK_TIMEOUT = Duration.ofSeconds(5);

    private final JobStore store;
    private final WakeUps wakeUps;
    private final JobRunner runner;
    private final OutcomeRecorder outcomes;
    private final PendingSuccesses successes;
    private final WorkerConfig config;
    private final WorkerQueues queues;
    private final RunningJobs running;
    private final WorkerMetrics metrics;
    private final ProgressReports progress;
    private final LimitHolds holds;
    /** host:pid:random, so that lease tokens (worker id + claim number) say which process holds a job. */
    private final String workerId = host() + ":" + ProcessHandle.current().pid() + ":"
            + UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong claims = new AtomicLong();
    private final AtomicBoolean cycling = new AtomicBoolean();
    /** Successes are being recorded on their own while the loop waits for work. */
    private final AtomicBoolean flushing = new AtomicBoolean();
    /** The loop is blocked on Redis waiting for work: successes cannot ride along with a claim now. */
    private volatile boolean waiting;
    private volatile boolean stopping;
    private volatile Instant lastClaimAt;
    private volatile Instant lastHeartbeat;
    private volatile boolean started;

    ClaimLoop(JobStore store, WakeUps wakeUps, JobRunner runner, OutcomeRecorder outcomes, PendingSuccesses successes,
            WorkerConfig config, WorkerQueues queues, RunningJobs running, WorkerMetrics metrics,
            ProgressReports progress, LimitHolds holds) {
        this.store = store;
        this.wakeUps = wakeUps;
        this.runner = runner;
        this.outcomes = outcomes;
        this.successes = successes;
        this.config = config;
        this.queues = queues;
        this.running = running;
        this.metrics = metrics;
        this.progress = progress;
        this.holds = holds;
    }

    @Override
    public void start() {
        LOG.infof("worker %s: concurrency %d, queues %s", workerId, config.concurrency(),
                config.queues().filter(q -> !q.isBlank()).orElse("(every queue)"));
        started = true;
        next();
    }

    /**
     * Graceful shutdown: stop claiming, give running jobs up to the shutdown timeout to finish (their successes are
     * still recorded), then hand the rest back to their queues at once (they do not wait for a lease to expire).
     */
    @Override
    public void stop() {
        stopping = true;
        LOG.infof("worker %s: shutting down with %d jobs running", workerId, running.size());
        try {
            if (!running.awaitEmpty(config.shutdownTimeout())) {
                LOG.warnf("worker %s: handing %d unfinished jobs back to their queues", workerId, running.size());
                running.all().forEach(job -> job.stop(RunningJob.StopReason.SHUTDOWN));
                running.awaitEmpty(HAND_BACK_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        wakeUps.drop();
    }

    /**
     * Starts a cycle unless one is running or there is nothing to do: no success to record and no free slot (or
     * shutting down). A failed cycle is tried again after a growing pause, until one succeeds.
     */
    private void next() {
        boolean work = !successes.isEmpty() || (!stopping && running.size() < config.concurrency());
        if (!work || !cycling.compareAndSet(false, true)) {
            return;
        }
        Uni.createFrom().deferred(this::cycle)
                .onFailure(this::worthRetrying).invoke(failure -> {
                    LOG.warnf("worker %s: %s; trying again shortly", workerId, failure.getMessage());
                    wakeUps.drop();
                })
                .onFailure(this::worthRetrying).retry()
                .withBackOff(FIRST_ERROR_BACKOFF, MAX_ERROR_BACKOFF).withJitter(0).indefinitely()
                .subscribe().with(
                        ignored -> {
                            cycling.set(false);
                            next();
                        },
                        failure -> cycling.set(false));
    }

    /** On shutdown the blocking connection is closed: nothing to try again once no success waits. */
    private boolean worthRetrying(Throwable failure) {
        return !stopping || !successes.isEmpty();
    }

    /** The host part of the worker id: HOSTNAME (a Kubernetes pod's name), else "worker". */
    static String host() {
        String host = System.getenv("HOSTNAME");
        return host == null || host.isBlank() ? "worker" : host;
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
            successes.queues().stream().filter(queue -> !order.contains(queue)).forEach(order::add);
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
            boolean busy = state.claimed > 0 || state.skippedQueue || stopping || !successes.isEmpty()
                    || running.size() >= config.concurrency();
            return busy ? Uni.createFrom().voidItem() : idle(state.nextDue);
        }
        String queue = order.get(0);
        List<String> rest = order.subList(1, order.size());
        PendingSuccesses.Batch done = successes.take(queue);
        boolean serving = !stopping && served.contains(queue);
        // the jobs whose success this call records free their slots
        int free = serving ? Math.max(0, config.concurrency() - running.size() + done.size()) : 0;
        if (serving && free == 0) {
            state.skippedQueue = true;
        }
        if (free == 0 && done.isEmpty()) {
            return claimFrom(rest, served, state);
        }
        // held back by its limits a moment ago: no call until the hold ends (another queue may have work meanwhile)
        Instant heldUntil = done.isEmpty() ? holds.heldUntil(queue, Instant.now()) : null;
        if (heldUntil != null) {
            state.nextDue = earliest(state.nextDue, heldUntil);
            return claimFrom(rest, served, state);
        }
        String token = workerId + ":" + claims.incrementAndGet();
        return recordAndClaim(queue, free, token, done)
                .chain(claim -> {
                    claim.jobs().forEach(this::dispatch);
                    state.claimed += claim.jobs().size();
                    state.nextDue = earliest(state.nextDue, claim.nextDue());
                    if (free > 0) {
                        holds.claimed(queue, claim, Instant.now());
                        state.nextDue = earliest(state.nextDue, holds.heldUntil(queue, Instant.now()));
                    }
                    return claimFrom(rest, served, state);
                });
    }

    /** One claim call that also records the batch's successes; on failure they wait for the next call. */
    private Uni<Claim> recordAndClaim(String queue, int max, String token, PendingSuccesses.Batch done) {
        return store.completeAndClaim(queue, max, config.lease(), token, done.completions())
                .onFailure().invoke(done::putBack)
                .invoke(claim -> done.settle(claim.recorded()));
    }

    private void dispatch(ClaimedJob job) {
        RunningJob run = new RunningJob(job);
        metrics.beforeInFlightChange();
        running.add(run);
        lastClaimAt = Instant.now();
        metrics.started(job, lastClaimAt);
        runner.run(run)
                .chain(outcome -> run.reportedProgress()
                        ? progress.settle(run).chain(() -> record(job, outcome))
                        : record(job, outcome))
                .subscribe().with(ignored -> finished(run), failure -> finished(run));
    }

    /** A success waits for the next claim call; any other outcome is recorded at once. */
    private Uni<Void> record(ClaimedJob job, RunningJob.Outcome outcome) {
        return outcome.succeeded() ? recordWithNextClaim(job, outcome) : outcomes.record(job, outcome);
    }

    /** Completes once the claim call that carries the success answered (a success waits across Redis outages). */
    private Uni<Void> recordWithNextClaim(ClaimedJob job, RunningJob.Outcome outcome) {
        return Uni.createFrom().<Optional<JobStatus>>emitter(recorded -> {
            successes.add(job, outcome.result(), recorded);
            if (waiting) {
                flushWhileWaiting();
            } else {
                next();
            }
        }).invoke(recorded -> outcomes.succeeded(job, recorded, outcome.millis())).replaceWithVoid();
    }

    private void finished(RunningJob run) {
        metrics.beforeInFlightChange();
        running.remove(run);
        holds.jobEnded(run.job().id().queue());
        next();
    }

    private static Instant earliest(Instant a, Instant b) {
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
        if (!successes.isEmpty()) {
            flushWhileWaiting();
        }
        return queues.current().chain(current -> wakeUps.await(current.names(), bounded))
                .eventually(() -> {
                    waiting = false;
                })
                .invoke(woken -> {
                    if (woken) {
                        queues.refreshNext();
                        holds.woken();
                    }
                })
                .replaceWithVoid();
    }

    private static Duration waitAtLeastOneMilli(Duration wait) {
        return wait.toMillis() < 1 ? Duration.ofMillis(1) : wait;
    }

    /** Records the waiting successes on their own, while the loop is blocked waiting for work. */
    private void flushWhileWaiting() {
        if (!flushing.compareAndSet(false, true)) {
            return;
        }
        Multi.createFrom().iterable(successes.queues())
                .onItem().transformToUniAndConcatenate(queue -> {
                    PendingSuccesses.Batch done = successes.take(queue);
                    if (done.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    return recordAndClaim(queue, 0, "", done).replaceWithVoid();
                })
                .collect().last()
                .subscribe().with(
                        ignored -> {
                            flushing.set(false);
                            if (waiting && !successes.isEmpty()) {
                                flushWhileWaiting();
                            }
                        },
                        // left waiting: the next cycle carries them, when the wait ends or after its error backoff
                        failure -> flushing.set(false));
    }

    /** host:pid:random, stable for the life of this process. */
    public String workerId() {
        return workerId;
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
