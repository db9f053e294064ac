package dev.conveyor.worker;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.conveyor.role.WorkerRole;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Starts the worker's background components at start-up and stops them at shutdown, in this order: the claim loop
 * (its stop drains the running jobs, whose leases the lease keeper still extends meanwhile), the lease keeper, the
 * reaper, the cancel listener, the heartbeat (its stop stores the last counts of finished jobs and leaves the worker
 * registry).
 */
@ApplicationScoped
@WorkerRole
class Worker {

    private final List<WorkerComponent> components;

    Worker(ClaimLoop claimLoop, LeaseKeeper leaseKeeper, Reaper reaper, CancelListener cancelListener,
            WorkerHeartbeat heartbeat) {
        this.components = List.of(claimLoop, leaseKeeper, reaper, cancelListener, heartbeat);
    }

    void start(@Observes StartupEvent event) {
        components.forEach(WorkerComponent::start);
    }

    void stop(@Observes ShutdownEvent event) {
        components.forEach(WorkerComponent::stop);
    }
}
