package dev.conveyor.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.conveyor.devservices.LocalRedis;

/**
 * Redis with Sentinel, of real processes on free loopback ports: one primary, one replica and three sentinels
 * (quorum 2), each in its own directory, as an operator would run them. Data nodes can be killed (SIGKILL) and started
 * again; a sentinel turns a former primary that comes back into a replica of the new one.
 */
public final class LocalRedisSentinel implements AutoCloseable {

    /** The name the sentinels know the primary by ({@code quarkus.redis.master-name}). */
    public static final String MASTER_NAME = "conveyor";
    /** How soon a silent primary counts as down: short, so that failover tests take seconds. */
    public static final Duration DOWN_AFTER = Duration.ofMillis(1000);
    private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final int SENTINELS = 3;

    private final Path dir;
    /** Data node port -> its server (null while killed). */
    private final Map<Integer, LocalRedis> nodes = new LinkedHashMap<>();
    private final List<Process> sentinels = new ArrayList<>();
    private final List<Integer> sentinelPorts = new ArrayList<>();

    private LocalRedisSentinel(Path dir) {
        this.dir = dir;
    }

    /** Starts the primary, its replica and the sentinels, and waits until every sentinel sees all of them. */
    public static LocalRedisSentinel start(Path dir) throws IOException {
        LocalRedisSentinel topology = new LocalRedisSentinel(dir);
        try {
            int primary = LocalRedis.freePort();
            topology.startNode(primary);
            int replica = LocalRedis.freePort();
            topology.startNode(replica, "--replicaof", "127.0.0.1", Integer.toString(primary));
            for (int i = 0; i < SENTINELS; i++) {
                topology.startSentinel(LocalRedis.freePort(), primary);
            }
            topology.awaitHealthy();
            return topology;
        } catch (IOException | RuntimeException e) {
            topology.close();
            throw e;
        }
    }

    private synchronized void startNode(int port, String... args) throws IOException {
        nodes.put(port, LocalRedis.start(port, nodeDir(port), args));
    }

    private Path nodeDir(int port) {
        return dir.resolve("node-" + port);
    }

    /** A sentinel rewrites its configuration file as it learns the topology, so each has its own, in its directory. */
    private void startSentinel(int port, int primary) throws IOException {
        Path sentinelDir = dir.resolve("sentinel-" + port);
        Files.createDirectories(sentinelDir);
        Path conf = sentinelDir.resolve("sentinel.conf");
        Files.writeString(conf, String.join("\n",
                "port " + port,
                "bind 127.0.0.1",
                "protected-mode no",
                "dir " + sentinelDir.toAbsolutePath(),
                "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + primary + " 2",
                "sentinel down-after-milliseconds " + MASTER_NAME + " " + DOWN_AFTER.toMillis(),
                "sentinel failover-timeout " + MASTER_NAME + " " + FAILOVER_TIMEOUT.toMillis(),
                "sentinel parallel-syncs " + MASTER_NAME + " 1", ""), StandardCharsets.UTF_8);
        Process process = new ProcessBuilder("redis-server", conf.toAbsolutePath().toString(), "--sentinel")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(sentinelDir.resolve("sentinel.log").toFile()))
                .start();
        sentinels.add(process);
        sentinelPorts.add(port);
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!LocalRedis.answers("127.0.0.1", port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IOException("redis-sentinel did not start on port " + port + "; see " + sentinelDir);
            }
            LocalRedisCluster.pause();
        }
    }

    /** The application's {@code quarkus.redis.hosts}: the sentinels, which name the primary. */
    public String hosts() {
        return sentinelPorts.stream().map(port -> "redis://127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    public String masterName() {
        return MASTER_NAME;
    }

    /** The application's Redis settings as an operator gives them: the blocking client follows. */
    public Map<String, String> appEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_REDIS_CLIENT_TYPE", "sentinel");
        env.put("QUARKUS_REDIS_HOSTS", hosts());
        env.put("QUARKUS_REDIS_MASTER_NAME", MASTER_NAME);
        env.put("QUARKUS_REDIS_ROLE", "master");
        return env;
    }

    /** The ports of the data nodes (primary and replica), whether running or killed. */
    public synchronized List<Integer> nodePorts() {
        return List.copyOf(nodes.keySet());
    }

    /** The log files of every process, for a failing test to print. */
    public synchronized List<Path> logs() {
        List<Path> logs = new ArrayList<>();
        nodes.keySet().forEach(port -> logs.add(nodeDir(port).resolve("redis-" + port + ".log")));
        sentinelPorts.forEach(port -> logs.add(dir.resolve("sentinel-" + port).resolve("sentinel.log")));
        return logs;
    }

    /** The port of the primary as a majority of the sentinels names it now. */
    public int primaryPort() throws IOException {
        Map<Integer, Integer> votes = new LinkedHashMap<>();
        for (int port : sentinelPorts) {
            String[] answer = cli(port, "sentinel", "get-master-addr-by-name", MASTER_NAME).trim().split("\\s+");
            if (answer.length == 2) {
                votes.merge(Integer.parseInt(answer[1]), 1, Integer::sum);
            }
        }
        return votes.entrySet().stream().filter(vote -> vote.getValue() >= 2).map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new IOException("the sentinels do not agree on a primary: " + votes));
    }

    /** SIGKILL of the data node on {@code port}: if it is the primary, the sentinels promote the replica. */
    public synchronized void kill(int port) {
        LocalRedis node = nodes.get(port);
        if (node != null) {
            node.kill();
            nodes.put(port, null);
        }
    }

    /**
     * Starts a killed data node again (empty: nothing is persisted) as a replica of the primary the sentinels name,
     * as a Sentinel-aware deployment does. Started as it was, a former primary would be a primary again until the
     * sentinels demote it (seconds later), and clients whose cached view still names it would write there, for nothing.
     */
    public synchronized void restart(int port) throws IOException {
        if (nodes.get(port) != null) {
            throw new IllegalStateException("the node on " + port + " still runs");
        }
        nodes.put(port, LocalRedis.start(port, nodeDir(port), "--replicaof", "127.0.0.1",
                Integer.toString(primaryPort())));
    }

    /**
     * Waits until the sentinels agree on a primary that answers, every running data node other than it replicates
     * it (link up), and every sentinel knows the other two.
     */
    public void awaitHealthy() throws IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String last = "";
        while (true) {
            try {
                last = health();
                if (last.isEmpty()) {
                    return;
                }
            } catch (IOException e) {
                last = e.getMessage();
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("Sentinel did not become healthy within " + READY_TIMEOUT + " (" + last
                        + "); see " + dir);
            }
            LocalRedisCluster.pause();
        }
    }

    /** What is not healthy yet; empty when all is. */
    private String health() throws IOException {
        int primary = primaryPort();
        if (!cli(primary, "role").startsWith("master")) {
            return "the primary " + primary + " is not a master yet";
        }
        for (int port : runningNodes()) {
            if (port != primary && !cli(port, "info", "replication").contains("master_link_status:up")) {
                return "the replica " + port + " is not linked to " + primary;
            }
        }
        for (int port : sentinelPorts) {
            String master = cli(port, "sentinel", "master", MASTER_NAME);
            if (!master.matches("(?s).*num-other-sentinels\\s+" + (SENTINELS - 1) + "\\b.*")) {
                return "sentinel " + port + " does not know the others yet";
            }
        }
        return "";
    }

    private synchronized List<Integer> runningNodes() {
        return nodes.entrySet().stream().filter(node -> node.getValue() != null).map(Map.Entry::getKey).toList();
    }

    /** Runs redis-cli against a node or a sentinel and answers its output. */
    public static String cli(int port, String... args) throws IOException {
        return LocalRedisCluster.cli(port, args);
    }

    /** Stops the sentinels first (so that they start no failover), then the data nodes. */
    @Override
    public synchronized void close() {
        for (Process sentinel : sentinels) {
            sentinel.destroy();
        }
        for (Process sentinel : sentinels) {
            try {
                if (!sentinel.waitFor(10, TimeUnit.SECONDS)) {
                    sentinel.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                sentinel.destroyForcibly();
            }
        }
        nodes.replaceAll((port, node) -> {
            if (node != null) {
                node.close();
            }
            return null;
        });
    }
}
