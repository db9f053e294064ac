package dev.conveyor.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.conveyor.job.JobId;
import dev.conveyor.job.NewJob;
import dev.conveyor.job.ScheduleTick;
import dev.conveyor.queue.DueSchedule;
import dev.conveyor.queue.DueSchedules;
import dev.conveyor.queue.Enqueued;
import dev.conveyor.queue.JobStore;
import dev.conveyor.queue.QueueInspector;
import dev.conveyor.queue.ScheduleStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Fires schedules' ticks, in every process (API, worker or both), so that schedules fire whatever is deployed. It
 * sleeps until the earliest due tick, or at most {@code conveyor.schedules.poll-interval} (schedules saved by another
 * replica are seen then), and handles each due tick:
 * <ol>
 * <li>it enqueues the tick's job with an idempotency key made of the schedule's name and the tick's time: in the
 * queue's own slot, the enqueue script creates at most one job for the tick, and a replica that comes second gets
 * the existing job back;</li>
 * <li>then it moves the schedule to its next tick with a compare-and-set script (only if the next tick is still the
 * one just fired), which records the run. A process that dies between the two leaves the tick due: the next round
 * (here or on another replica) enqueues again, gets the same job back, and moves on. No tick is lost, none fires
 * twice, and this holds on a cluster, where the schedules and each queue live in different slots.</li>
 * </ol>
 * Only the tick stored as due ever fires (so every replica derives the same key): a catch-up first moves the schedule
 * to the tick it fires, then fires it like any other.
 */
@ApplicationScoped
public class ScheduleFirer {

    private static final Logger LOG = Logger.getLogger(ScheduleFirer.class);
    /** Most due schedules handled per round; more come in the next round, at once. */
    static final int BATCH = 100;

    private final ScheduleStore schedules;
    private final JobStore jobs;
    private final QueueInspector inspector;
    private final ScheduledJobs requests;
    private final SchedulesConfig config;
    private final ScheduleMetrics metrics;
    private final ObjectMapper json;
    private final Vertx vertx;
    private final Clock clock = Clock.systemUTC();
    private final AtomicBoolean failing = new AtomicBoolean();
    private volatile boolean running;
    private volatile long timer = -1;

    ScheduleFirer(ScheduleStore schedules, JobStore jobs, QueueInspector inspector, ScheduledJobs requests,
            SchedulesConfig config, ScheduleMetrics metrics, ObjectMapper json, Vertx vertx) {
        this.schedules = schedules;
        this.jobs = jobs;
        this.inspector = inspector;
        this.requests = requests;
        this.config = config;
        this.metrics = metrics;
        this.json = json;
        this.vertx = vertx;
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public void start() {
        running = true;
        sleep(Duration.ZERO);
    }

    public void stop() {
        running = false;
        vertx.cancelTimer(timer);
    }

    private void sleep(Duration wait) {
        if (running) {
            timer = vertx.setTimer(Math.max(1, wait.toMillis()), id -> round());
        }
    }

    private void round() {
        if (!running) {
            return;
        }
        Instant now = clock.instant();
        schedules.due(now, BATCH)
                .chain(due -> Multi.createFrom().iterable(due.due())
                        .onItem().transformToUniAndConcatenate(tick -> handle(tick, now))
                        .collect().asList()
                        .map(again -> again.contains(Boolean.TRUE) || due.due().size() == BATCH ? Duration.ZERO
                                : untilNext(due)))
                .subscribe().with(wait -> {
                    if (failing.compareAndSet(true, false)) {
                        LOG.info("schedules: Redis answers again; firing due ticks");
                    }
                    sleep(wait);
                }, failure -> {
                    if (failing.compareAndSet(false, true)) {
                        LOG.warnf("schedules: cannot read due ticks (%s); trying again every %s", failure.getMessage(),
                                config.pollInterval());
                    }
                    sleep(config.pollInterval());
                });
    }

    private Duration untilNext(DueSchedules due) {
        if (due.next() == null) {
            return config.pollInterval();
        }
        Duration wait = Duration.between(clock.instant(), due.next());
        return wait.compareTo(config.pollInterval()) > 0 ? config.pollInterval() : wait;
    }

    /** Handles one due tick; true when the schedule moved to a catch-up tick that is due at once. */
    Uni<Boolean> handle(DueSchedule due, Instant now) {
        ScheduleDefinition definition;
        Timing timing;
        try {
            definition = json.readValue(due.definition(), ScheduleDefinition.class);
            timing = definition.timing();
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.warnf("schedule %s: unreadable definition, not fired: %s", due.name(), e.getMessage());
            return Uni.createFrom().item(false);
        }
        TickPlan plan = TickPlan.of(timing, due.tick(), now, config.misfireGrace(), definition.catchUpRule());
        Uni<Boolean> handled;
        if (plan.fire() == null) {
            handled = skip(due, plan.missed(), plan.next(), now, "missed").replaceWith(false);
        } else if (!plan.fire().equals(due.tick())) {
            // moved to the catch-up tick, which the next round (at once) fires like any other
            handled = schedules.advance(due.name(), due.tick(), plan.fire(), "", null);
        } else {
            handled = overlapping(definition, due).chain(busy -> busy ? skip(due, due.tick(), plan.next(), now, "overlap")
                    : fire(definition, due, plan.next(), now)).replaceWith(false);
        }
        return handled
                .onFailure().invoke(e -> LOG.debugf("schedule %s: tick %s not handled yet: %s", due.name(), due.tick(),
                        e.getMessage()))
                .onFailure().recoverWithItem(false);
    }

    /** With overlap skip: whether the last job this schedule fired is still waiting or running. */
    private Uni<Boolean> overlapping(ScheduleDefinition definition, DueSchedule due) {
        if (definition.overlapRule() != Overlap.SKIP || due.lastJob() == null) {
            return Uni.createFrom().item(false);
        }
        return JobId.parse(due.lastJob())
                .map(id -> inspector.find(id).map(job -> job.isPresent() && !job.get().status().isFinished()))
                .orElse(Uni.createFrom().item(false));
    }

    private Uni<Boolean> fire(ScheduleDefinition definition, DueSchedule due, Instant next, Instant now) {
        NewJob job;
        try {
            job = requests.jobOf(definition.job()).firedBy(new ScheduleTick(due.name(), due.tick()));
        } catch (IllegalArgumentException e) {
            LOG.warnf("schedule %s: its job is no longer valid, tick %s skipped: %s", due.name(), due.tick(),
                    e.getMessage());
            return skip(due, due.tick(), next, now, "invalid");
        }
        return jobs.enqueueEach(List.of(job)).chain(results -> {
            Enqueued enqueued = results.get(0);
            if (enqueued.job() == null || (enqueued.outcome() != Enqueued.Outcome.CREATED
                    && enqueued.outcome() != Enqueued.Outcome.EXISTING)) {
                LOG.warnf("schedule %s: queue %s refused the job of tick %s (%s)", due.name(), job.queue(),
                        due.tick(), enqueued.outcome());
                return skip(due, due.tick(), next, now, "refused");
            }
            String jobId = enqueued.job().id().toString();
            return schedules.advance(due.name(), due.tick(), next, run(new LastRun(due.tick(), jobId, now, null)), jobId)
                    .invoke(moved -> {
                        if (moved) {
                            metrics.fired(due.name());
                            LOG.infof("schedule %s fired job %s for %s", due.name(), jobId, due.tick());
                        }
                    });
        });
    }

    private Uni<Boolean> skip(DueSchedule due, Instant tick, Instant next, Instant now, String reason) {
        return schedules.advance(due.name(), due.tick(), next, run(new LastRun(tick, null, now, reason)), null)
                .invoke(moved -> {
                    if (moved) {
                        metrics.skipped(due.name(), reason);
                        LOG.infof("schedule %s skipped tick %s (%s)", due.name(), tick, reason);
                    }
                });
    }

    private String run(LastRun run) {
        try {
            return json.writeValueAsString(run);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("last run not serializable", e);
        }
    }
}
