package dev.conveyor.observe;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.conveyor.queue.QueueInspector;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

/** Ready only while Redis answers a PING within the Redis timeout (conveyor.queue.redis-timeout). */
@Readiness
@ApplicationScoped
public class RedisReadiness implements AsyncHealthCheck {

    private final QueueInspector inspector;

    RedisReadiness(QueueInspector inspector) {
        this.inspector = inspector;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return inspector.ping()
                .map(latency -> HealthCheckResponse.named("redis").up()
                        .withData("latencyMs", latency.toNanos() / 1_000_000.0 + "").build())
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named("redis").down()
                        .withData("error", String.valueOf(failure.getMessage())).build());
    }
}
