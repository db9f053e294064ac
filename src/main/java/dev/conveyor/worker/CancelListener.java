package dev.conveyor.worker;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.conveyor.queue.CancelRequests;
import dev.conveyor.role.WorkerRole;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * Stops a running job as soon as its cancellation is requested, if it runs here. The lease extension also reports
 * requested cancellations, so a request missed while disconnected from Redis only delays the cancellation.
 */
@ApplicationScoped
@WorkerRole
class CancelListener implements WorkerComponent {

    private static final Logger LOG = Logger.getLogger(CancelListener.class);

    private final CancelRequests requests;
    private final RunningJobs running;
    private volatile Cancellable subscription;

    CancelListener(CancelRequests requests, RunningJobs running) {
        this.requests = requests;
        this.running = running;
    }

    @Override
    public void start() {
        subscription = requests.stream().subscribe().with(id -> {
            RunningJob job = running.get(id);
            if (job != null) {
                LOG.infof("job %s: cancellation requested; stopping it", id);
                job.stop(RunningJob.StopReason.CANCELLED);
            }
        });
    }

    @Override
    public void stop() {
        Cancellable s = subscription;
        if (s != null) {
            s.cancel();
        }
    }
}
