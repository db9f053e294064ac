package dev.conveyor.events;

import java.time.Duration;

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

    /**
     * The job once it is final, or as it is after {@code max}. When Redis cannot be read, the job as last known:
     * {@code known}, read before the wait.
     */
    public Uni<Job> awaitFinal(Job known, Duration max) {
        JobId id = known.id();
        if (known.status().isFinished() || max.isZero() || max.isNegative()) {
            return Uni.createFrom().item(known);
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
                    }, failure -> emitter.complete(false));
        })
                .ifNoItem().after(max).recoverWithItem(false)
                .chain(() -> inspector.find(id))
                .map(job -> job.orElse(known))
                .onFailure().recoverWithItem(known);
    }
}
