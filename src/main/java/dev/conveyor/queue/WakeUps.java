package dev.conveyor.queue;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.redis.client.RedisClientName;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;

/**
 * How an idle worker waits for work without polling: a blocking pop (BZPOPMIN) on the queues' marker keys, which
 * every enqueue and retry adds to. It runs on its own connection of the dedicated {@code blocking} Redis client, so
 * blocking never holds a connection of the shared pool. One waiter per worker; calls must not overlap.
 */
@ApplicationScoped
public class WakeUps {

    /** Above the pop's own timeout: how long a silent connection may take before it counts as dead. */
    private static final Duration GRACE = Duration.ofSeconds(2);

    private final Redis blockingClient;
    private final JobStore store;
    private RedisConnection connection;

    WakeUps(@RedisClientName("blocking") Redis blockingClient, JobStore store) {
        this.blockingClient = blockingClient;
        this.store = store;
    }

    /** Completes when one of the queues has new work, or after {@code max}; true when woken by work. */
    public Uni<Boolean> await(List<String> queues, Duration max) {
        if (queues.isEmpty() || max.toMillis() <= 0) {
            return Uni.createFrom().item(false);
        }
        Request pop = Request.cmd(Command.BZPOPMIN);
        store.wakeUpKeys(queues).forEach(pop::arg);
        pop.arg(String.format(Locale.ROOT, "%.3f", max.toMillis() / 1000.0));
        return connection()
                .chain(c -> c.send(pop))
                .ifNoItem().after(max.plus(GRACE)).fail()
                .map(answer -> answer != null && answer.size() > 0)
                .onFailure().invoke(this::drop)
                .onFailure().transform(failure -> new RedisUnavailableException(
                        "blocking wait failed: " + failure.getMessage(), failure));
    }

    private Uni<RedisConnection> connection() {
        if (connection != null) {
            return Uni.createFrom().item(connection);
        }
        return blockingClient.connect().invoke(c -> {
            connection = c;
            c.exceptionHandler(failure -> drop());
            c.endHandler(this::drop);
        });
    }

    /** Forgets a broken (or possibly stuck) connection; the next wait opens a new one. */
    public void drop() {
        RedisConnection broken = connection;
        connection = null;
        if (broken != null) {
            broken.close().subscribe().with(ok -> { }, failure -> { });
        }
    }
}
