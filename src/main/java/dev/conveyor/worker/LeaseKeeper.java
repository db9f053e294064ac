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
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * Extends the leases of this worker's running jobs well before they expire (every third of the lease), one call
 * per queue, and stops the jobs whose lease is lost or whose cancellation was requested.
 */
@ApplicationScoped
@WorkerRole
class LeaseKeeper {

    private final JobStore store;
    private final RunningJobs running;
    private final WorkerConfig config;
    private final Vertx vertx;
    private Periodic timer;

    LeaseKeeper(JobStore store, RunningJobs running, WorkerConfig config, Vertx vertx) {
        this.store = store;
        this.running = running;
        this.config = config;
        this.vertx = vertx;
    }

    void start() {
        timer = Periodic.every(vertx, config.lease().dividedBy(3), "lease extension", this::extendAll);
    }

    void stop() {
        if (timer != null) {
            timer.cancel();
        }
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
