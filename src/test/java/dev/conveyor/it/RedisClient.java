package dev.conveyor.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * The process tests' own look at Redis, through the Vert.x Redis client the application uses (not the application's
 * code), so that they need no redis-cli. Every call waits at most {@link #TIMEOUT}.
 */
final class RedisClient implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Vertx vertx;
    private final Redis redis;

    private RedisClient(Vertx vertx, Redis redis) {
        this.vertx = vertx;
        this.redis = redis;
    }

    /** Connects at once (the client would otherwise connect on its first command, which then takes longer). */
    static RedisClient connect(int port) {
        return connect(port, null);
    }

    /** As {@link #connect(int)}, authenticating with {@code password} unless it is null. */
    static RedisClient connect(int port, String password) {
        return connect(new RedisOptions().setConnectionString("redis://127.0.0.1:" + port).setPassword(password));
    }

    /** A cluster client seeded with these nodes: each command goes to the primary of its key's slot. */
    static RedisClient connectCluster(List<Integer> ports) {
        return connect(new RedisOptions().setType(RedisClientType.CLUSTER)
                .setEndpoints(ports.stream().map(port -> "redis://127.0.0.1:" + port).toList()));
    }

    private static RedisClient connect(RedisOptions options) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        RedisClient client = new RedisClient(vertx, Redis.createClient(vertx, options));
        try {
            client.call("PING");
            return client;
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    static Request request(String command, String... args) {
        Request request = Request.cmd(Command.create(command));
        for (String arg : args) {
            request.arg(arg);
        }
        return request;
    }

    /** One command; an error reply fails it. */
    Response call(String command, String... args) {
        return await(redis.send(request(command, args)));
    }

    /** Many commands in one round trip; replies in order. On a cluster, every key must be in one slot. */
    List<Response> batch(List<Request> requests) {
        return await(redis.batch(requests));
    }

    long zcard(String key) {
        return call("ZCARD", key).toLong();
    }

    /** Every member of a sorted set, lowest score first. */
    List<String> zrange(String key) {
        List<String> members = new ArrayList<>();
        call("ZRANGE", key, "0", "-1").forEach(member -> members.add(member.toString()));
        return members;
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Redis: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Redis did not answer within " + TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Redis", e);
        }
    }

    @Override
    public void close() {
        redis.close();
        await(vertx.close());
    }
}
