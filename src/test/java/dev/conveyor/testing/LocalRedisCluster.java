package dev.conveyor.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.conveyor.devservices.LocalRedis;

/**
 * A Redis Cluster of real redis-server processes on free loopback ports: {@code primaries} primaries with
 * {@code replicas} replicas each, created with {@code redis-cli --cluster create} as an operator would. Nodes can be
 * killed (SIGKILL) and started again with their cluster state (nodes.conf in their own directory).
 */
public final class LocalRedisCluster implements AutoCloseable {

    /** How soon a silent primary is failed over: short, so that failover tests take seconds. */
    public static final Duration NODE_TIMEOUT = Duration.ofMillis(1000);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final List<LocalRedis> nodes;
    private final List<Integer> ports;
    /** Every node's own redis-server arguments (e.g. persistence), kept for its start again. */
    private final String[] extraArgs;

    private LocalRedisCluster(Path dir, List<LocalRedis> nodes, List<Integer> ports, String[] extraArgs) {
        this.dir = dir;
        this.nodes = nodes;
        this.ports = ports;
        this.extraArgs = extraArgs;
    }

    /** Starts the nodes, joins them into one cluster and waits until every node says the cluster is ok. */
    public static LocalRedisCluster start(Path dir, int primaries, int replicas, String... extraArgs)
            throws IOException {
        int count = primaries * (1 + replicas);
        List<LocalRedis> nodes = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        LocalRedisCluster cluster = new LocalRedisCluster(dir, nodes, ports, extraArgs.clone());
        try {
            for (int i = 0; i < count; i++) {
                int port = LocalRedis.freeClusterPort();
                ports.add(port);
                // a directory left by an earlier run on the same port would bring back that run's cluster
                deleteTree(dir.resolve("node-" + port));
                nodes.add(LocalRedis.start(port, dir.resolve("node-" + port), nodeArgs(extraArgs)));
            }
            List<String> create = new ArrayList<>(List.of("--cluster", "create"));
            ports.forEach(port -> create.add("127.0.0.1:" + port));
            create.addAll(List.of("--cluster-replicas", Integer.toString(replicas), "--cluster-yes"));
            cli(ports.get(0), create.toArray(String[]::new));
            cluster.awaitHealthy();
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private static String[] nodeArgs(String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                "--cluster-node-timeout", Long.toString(NODE_TIMEOUT.toMillis())));
        args.addAll(List.of(extraArgs));
        return args.toArray(String[]::new);
    }

    /** The application's {@code quarkus.redis.hosts}: every node, so that any one of them finds the others. */
    public String hosts() {
        return ports.stream().map(port -> "redis://127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    /** The settings an operator gives the application (docs/topologies.md): the blocking client follows them. */
    public Map<String, String> appEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_REDIS_CLIENT_TYPE", "cluster");
        env.put("QUARKUS_REDIS_HOSTS", hosts());
        return env;
    }

    public List<Integer> ports() {
        return List.copyOf(ports);
    }

    /** The port of the primary that serves {@code key} now. */
    public int primaryOf(String key) throws IOException {
        for (int port : livePorts()) {
            String slot = cli(port, "cluster", "keyslot", key).trim();
            for (String line : cli(port, "cluster", "nodes").split("\n")) {
                String[] parts = line.split(" ");
                if (parts.length > 8 && parts[2].contains("master") && !parts[2].contains("fail")
                        && servesSlot(parts, Integer.parseInt(slot))) {
                    return Integer.parseInt(parts[1].substring(parts[1].indexOf(':') + 1, parts[1].indexOf('@')));
                }
            }
        }
        throw new IOException("no live primary serves " + key);
    }

    private static boolean servesSlot(String[] parts, int slot) {
        for (int i = 8; i < parts.length; i++) {
            String[] range = parts[i].split("-");
            if (range[0].startsWith("[")) {
                continue;
            }
            int from = Integer.parseInt(range[0].trim());
            int to = range.length > 1 ? Integer.parseInt(range[1].trim()) : from;
            if (slot >= from && slot <= to) {
                return true;
            }
        }
        return false;
    }

    /** SIGKILL of the node on {@code port}: its replica takes over after {@link #NODE_TIMEOUT}. */
    public synchronized void kill(int port) {
        int i = ports.indexOf(port);
        nodes.get(i).kill();
        nodes.set(i, null);
    }

    /** Starts a killed node again with its cluster state; it rejoins (a former primary comes back as a replica). */
    public synchronized void restart(int port) throws IOException {
        int i = ports.indexOf(port);
        nodes.set(i, LocalRedis.start(port, dir.resolve("node-" + port), nodeArgs(extraArgs)));
    }

    /** SIGTERM of every node: each saves what it persists; {@link #startAll()} starts them again. */
    public synchronized void stopAll() {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i) != null) {
                nodes.get(i).close();
                nodes.set(i, null);
            }
        }
    }

    /**
     * Starts every stopped node again on its port with its cluster state (nodes.conf) and data (when persisted),
     * and waits until the cluster is healthy.
     */
    public synchronized void startAll() throws IOException {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i) == null) {
                int port = ports.get(i);
                nodes.set(i, LocalRedis.start(port, dir.resolve("node-" + port), nodeArgs(extraArgs)));
            }
        }
        awaitHealthy();
    }

    /** Where the node on {@code port} keeps its files and its log ({@code redis-<port>.log}). */
    public Path dirOf(int port) {
        return dir.resolve("node-" + port);
    }

    /** Waits until every live node says the cluster is ok and every slot has a live primary. */
    public void awaitHealthy() throws IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            boolean ok = true;
            for (int port : livePorts()) {
                String info = cli(port, "cluster", "info");
                ok &= info.contains("cluster_state:ok") && info.contains("cluster_slots_ok:16384");
            }
            if (ok) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the cluster did not become healthy within " + READY_TIMEOUT + "; see " + dir);
            }
            pause();
        }
    }

    private synchronized List<Integer> livePorts() {
        List<Integer> live = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i) != null) {
                live.add(ports.get(i));
            }
        }
        return live;
    }

    /** Runs redis-cli against a node and answers its output. */
    public static String cli(int port, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("redis-cli " + String.join(" ", args) + " failed: " + out);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Deletes a directory and everything in it; nothing when it does not exist. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** The interval of the harnesses' polls of Redis processes' own state: there is nothing to be notified by. */
    static void pause() throws IOException {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public synchronized void close() {
        stopAll();
    }
}
