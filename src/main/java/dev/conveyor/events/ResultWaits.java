package dev.conveyor.events;

import java.time.Duration;
import java.util.Optional;

import jakarta.inject.Singleton;

import dev.conveyor.job.Job;
import dev.conveyor.job.JobId;
import dev.conveyor.job.JobStatus;
import dev.conveyor.queue.QueueEvent;
import dev.conveyor.queue.QueueInspector;
import dev.conveyor.role.ApiRole;
import io.smallrye.mutiny.Uni;

/**
 * Waits for a job to finish without polling: the pod hears the job's end through the {@link EventHub}. A wait ends
 * at the job's final state, at its deadline, or when the events cannot be read (Redis unreachable); it then answers
 * the job as it is, so a wait never hangs.
 */
@ApiRole
@Singleton
public class ResultWaits {

    private final EventHub hub;
    private final QueueInspector inspector;

    ResultWaits(EventHub hub, QueueInspector inspector) {
        this.hub = hub;
        this.inspector = inspector;
    }

    /** The job once it is final, or as it is after {@code max}; empty when it does not exist. */
    public Uni<Optional<Job>> awaitFinal(JobId id, Duration max) {
        if (max.isZero() || max.isNegative()) {
            return inspector.find(id);
        }
        return Uni.createFrom().<Boolean>emitter(emitter -> {
            EventHub.Listener listener = new EventHub.Listener() {
                @Override
                public void event(QueueEvent event) {
                    if (id.equals(event.job()) && JobStatus.fromWireName(event.status()).isFinished()) {
                        emitter.complete(true);
                    }
                }

                @Override
                public void interrupted(Throwable failure) {
                    emitter.complete(false);
                }
            };
            emitter.onTermination(() -> hub.leave(id.queue(), listener));
            hub.listen(id.queue(), listener)
                    .chain(() -> inspector.find(id))
                    .subscribe().with(job -> {
                        if (job.isEmpty() || job.get().status().isFinished()) {
                            emitter.complete(true);
                        }
                    }, emitter::fail);
        })
                .ifNoItem().after(max).recoverWithItem(false)
                .chain(() -> inspector.find(id));
    }
}
