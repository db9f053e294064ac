package dev.conveyor.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.config.ConfigProvider;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * Every Redis server the application was given ({@code quarkus.redis.hosts}: the one, or each node of a cluster), for
 * the tests' commands that act on a server rather than on a key (CLIENT PAUSE, CLIENT LIST, CONFIG SET, INFO): a
 * cluster client would send those to any one node.
 */
public final class RedisNodes implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final List<Redis> nodes = new ArrayList<>();

    public RedisNodes(Vertx vertx) {
        for (String host : ConfigProvider.getConfig().getValues("quarkus.redis.hosts", String.class)) {
            nodes.add(Redis.createClient(vertx, host));
        }
    }

    /** Whether the application runs on a Redis Cluster. */
    public static boolean cluster() {
        return "cluster".equals(ConfigProvider.getConfig().getOptionalValue("quarkus.redis.client-type", String.class)
                .orElse("standalone"));
    }

    /** Sends the command to every node; the answers in the order of the hosts. */
    public List<Response> sendToEach(String command, String... args) {
        return send(nodes, command, args);
    }

    /** Sends the command to every primary (the one server, or each primary of a cluster). */
    public List<Response> sendToPrimaries(String command, String... args) {
        List<Redis> primaries = new ArrayList<>();
        List<Response> roles = sendToEach("INFO", "replication");
        for (int i = 0; i < nodes.size(); i++) {
            if (roles.get(i).toString().contains("role:master")) {
                primaries.add(nodes.get(i));
            }
        }
        return send(primaries, command, args);
    }

    /** Redis' {@code used_memory}: on a cluster, the fullest primary's. */
    public long usedMemory() {
        return sendToPrimaries("INFO", "memory").stream()
                .mapToLong(info -> Long.parseLong(info.toString().replaceAll("(?s).*\\bused_memory:(\\d+).*", "$1")))
                .max().orElseThrow();
    }

    private static List<Response> send(List<Redis> nodes, String command, String... args) {
        List<Response> answers = new ArrayList<>();
        for (Redis node : nodes) {
            Request request = Request.cmd(Command.create(command));
            for (String arg : args) {
                request.arg(arg);
            }
            answers.add(node.send(request).await().atMost(TIMEOUT));
        }
        return answers;
    }

    @Override
    public void close() {
        nodes.forEach(Redis::close);
    }
}
