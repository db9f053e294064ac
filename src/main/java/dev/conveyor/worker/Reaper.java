package dev.conveyor.worker;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.conveyor.job.JobLogLine;
import dev.conveyor.queue.JobStore;
import dev.conveyor.queue.Recovered;
import dev.conveyor.role.WorkerRole;
import io.quarkus.scheduler.Scheduler;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Every worker periodically recovers jobs whose lease expired (their worker crashed or froze) in the queues it
 * serves, and removes finished jobs past their retention age, or beyond their count when the scripts that record
 * outcomes left a backlog (they trim the count as jobs finish). Many reapers at once are safe: each call is one
 * atomic script.
 */
@ApplicationScoped
@WorkerRole
class Reaper implements WorkerComponent {

    private static final Logger LOG = Logger.getLogger(Reaper.class);
    /** Per queue and round: up to this many calls of up to 1000 jobs each (the rest waits for the next round). */
    private static final int MAX_CALLS_PER_QUEUE = 100;
    private static final String JOB = "reaper";

    private final JobStore store;
    private final WorkerQueues queues;
    private final WorkerConfig config;
    private final Scheduler scheduler;
    private final WorkerMetrics metrics;
    private final ThroughputTally throughput;

    Reaper(JobStore store, WorkerQueues queues, WorkerConfig config, Scheduler scheduler, WorkerMetrics metrics,
            ThroughputTally throughput) {
        this.store = store;
        this.queues = queues;
        this.config = config;
        this.scheduler = scheduler;
        this.metrics = metrics;
        this.throughput = throughput;
    }

    @Override
    public void start() {
        PeriodicTask.schedule(scheduler, JOB, config.reapInterval(), this::reapAll);
    }

    @Override
    public void stop() {
        scheduler.unscheduleJob(JOB);
    }

    Uni<Void> reapAll() {
        return queues.current().chain(current -> Multi.createFrom().iterable(current.names())
                .onItem().transformToUniAndConcatenate(queue -> reap(queue, 1))
                .collect().last().replaceWithVoid());
    }

    /** Calls again while a call leaves work behind (a backlog of finished jobs past retention), up to a bound. */
    private Uni<Void> reap(String queue, int call) {
        return store.reap(queue).invoke(this::report).chain(recovered -> recovered.more() && call < MAX_CALLS_PER_QUEUE
                ? reap(queue, call + 1)
                : Uni.createFrom().voidItem());
    }

    private void report(Recovered recovered) {
        log(recovered.requeued(), "queued");
        log(recovered.failed(), "failed");
        recovered.failed().forEach(job -> throughput.failed(job.id().queue()));
        log(recovered.cancelled(), "cancelled");
    }

    private void log(java.util.List<Recovered.Ref> jobs, String status) {
        for (Recovered.Ref job : jobs) {
            metrics.finished(job.id().queue(), job.type(), WorkerMetrics.Outcome.RECOVERED);
            LOG.info(JobLogLine.recovered(job.id(), job.type(), status));
        }
    }
}
