package dev.conveyor.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.vertx.core.VertxOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.RedisOptions;

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

    static RedisClient connect(int port) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        RedisOptions options = new RedisOptions().setConnectionString("redis://127.0.0.1:" + port)
                .setPreferredProtocolVersion(ProtocolVersion.RESP2);
        return new RedisClient(vertx, Redis.createClient(vertx, options));
    }

    /** One command; an error reply fails it. */
    Response call(String command, String... args) {
        return redis.send(request(command, args)).await().atMost(TIMEOUT);
    }

    /** Many commands in one round trip; replies in order. */
    List<Response> batch(List<Request> requests) {
        return redis.batch(requests).await().atMost(TIMEOUT);
    }

    static Request request(String command, String... args) {
        return Request.cmd(Command.create(command), (Object[]) args);
    }

    long zcard(String key) {
        return call("ZCARD", key).toLong();
    }

    List<String> zrange(String key) {
        List<String> members = new ArrayList<>();
        call("ZRANGE", key, "0", "-1").forEach(member -> members.add(member.toString()));
        return members;
    }

    @Override
    public void close() {
        redis.close();
        vertx.closeAndAwait();
    }
}
