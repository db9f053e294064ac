package dev.conveyor.queue;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.conveyor.job.JobId;
import io.quarkus.redis.client.RedisClientName;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Multi;

/**
 * Cancellations requested for running jobs, as they are published (Redis pub/sub on the cancel channel). Subscribes
 * on a connection of the dedicated {@code blocking} client, so that the subscription holds no connection of the
 * shared pool.
 */
@ApplicationScoped
public class CancelRequests {

    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration MAX_RETRY = Duration.ofSeconds(1);

    private final ReactiveRedisDataSource redis;
    private final KeySpace keys;

    CancelRequests(@RedisClientName("blocking") ReactiveRedisDataSource redis, KeySpace keys) {
        this.redis = redis;
        this.keys = keys;
    }

    /**
     * The ids of jobs whose cancellation is requested, from subscription on, until cancelled. Messages published
     * while the connection is down are lost: the lease extension also reports requested cancellations.
     */
    public Multi<JobId> stream() {
        return redis.pubsub(String.class).subscribe(keys.cancelChannel())
                // the client ends the stream when its connection ends and never subscribes again by itself
                .onCompletion().failWith(() -> new RedisUnavailableException("cancel subscription ended", null))
                .onFailure().retry().withBackOff(FIRST_RETRY, MAX_RETRY).indefinitely()
                .map(JobId::parse)
                .filter(Optional::isPresent)
                .map(Optional::get);
    }
}
