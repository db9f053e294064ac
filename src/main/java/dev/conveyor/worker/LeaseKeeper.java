package dev.conveyor.worker;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;


import dev.conveyor.job.JobId;
import dev.conveyor.queue.ClaimedJob;
import dev.conveyor.queue.JobStore;
import dev.conveyor.queue.LeaseReport;
import dev.conveyor.role.WorkerRole;
import io.quarkus.scheduler.Scheduler;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Extends the leases of this worker's running jobs well before they expire (every third of the lease), one call
 * per queue, and stops the jobs whose lease is lost or whose cancellation was requested.
 */
@ApplicationScoped
@WorkerRole
class LeaseKeeper implements WorkerComponent {

    private static final String JOB = "lease extension";

    private final JobStore store;
    private final RunningJobs running;
    private final WorkerConfig config;
    private final Scheduler scheduler;

    LeaseKeeper(JobStore store, RunningJobs running, WorkerConfig config, Scheduler scheduler) {
        this.store = store;
        this.running = running;
        this.config = config;
        this.scheduler = scheduler;
    }

    @Override
    public void start() {
        PeriodicTask.schedule(scheduler, JOB, config.lease().dividedBy(3), this::extendAll);
    }

    @Override
    public void stop() {
        scheduler.unscheduleJob(JOB);
    }

    Uni<Void> extendAll() {
        Map<String, List<ClaimedJob>> byQueue = running.all().stream().map(RunningJob::job)
                .collect(Collectors.groupingBy(job -> job.id().queue()));
        return Multi.createFrom().iterable(byQueue.entrySet())
                .onItem().transformToUniAndMerge(entry -> store.extend(entry.getKey(), entry.getValue(), config.lease())
                        .invoke(this::act))
                .collect().last().replaceWithVoid();
    }

    private void act(LeaseReport report) {
        stopAll(report.lost(), RunningJob.StopReason.LEASE_LOST);
        stopAll(report.cancelRequested(), RunningJob.StopReason.CANCELLED);
    }

    private void stopAll(List<JobId> ids, RunningJob.StopReason reason) {
        for (JobId id : ids) {
            RunningJob job = running.get(id);
            if (job != null) {
                job.stop(reason);
            }
        }
    }
}
