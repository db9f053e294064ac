package dev.conveyor.observe;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.health.Startup;

import dev.conveyor.role.WorkerRole;
import dev.conveyor.worker.WorkerConfig;
import dev.conveyor.worker.ClaimLoop;

/**
 * The worker's health. Live: the consumer loop makes progress (a Redis outage alone does not fail it: the loop keeps
 * cycling through its backoff). Ready: the loop runs and is not shutting down. Started: the loop started.
 */
@ApplicationScoped
@WorkerRole
public class WorkerHealth {

    private final ClaimLoop loop;
    private final WorkerConfig config;

    WorkerHealth(ClaimLoop loop, WorkerConfig config) {
        this.loop = loop;
        this.config = config;
    }

    /** Longest time without a loop heartbeat before the loop counts as stuck: idle waits and backoffs are shorter. */
    private Duration stuckAfter() {
        return config.idleWait().multipliedBy(3).plusSeconds(10);
    }

    @Produces
    @Liveness
    HealthCheck live() {
        return () -> {
            Instant beat = loop.lastHeartbeat();
            boolean full = loop.inFlight() >= config.concurrency();
            boolean alive = loop.isStopping() || full || (beat != null
                    && Duration.between(beat, Instant.now()).compareTo(stuckAfter()) < 0);
            return withData(HealthCheckResponse.named("worker-loop").status(alive)).build();
        };
    }

    @Produces
    @Readiness
    HealthCheck ready() {
        return () -> withData(HealthCheckResponse.named("worker").status(loop.isStarted() && !loop.isStopping()))
                .withData("stopping", loop.isStopping()).build();
    }

    @Produces
    @Startup
    HealthCheck started() {
        return () -> HealthCheckResponse.named("worker-loop").status(loop.isStarted()).build();
    }

    private org.eclipse.microprofile.health.HealthCheckResponseBuilder withData(
            org.eclipse.microprofile.health.HealthCheckResponseBuilder builder) {
        Instant lastClaim = loop.lastClaimAt();
        Instant beat = loop.lastHeartbeat();
        return builder.withData("inFlight", loop.inFlight())
                .withData("concurrency", config.concurrency())
                .withData("lastClaimAt", lastClaim == null ? "never" : lastClaim.toString())
                .withData("lastHeartbeat", beat == null ? "never" : beat.toString());
    }
}
