package dev.conveyor.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.conveyor.devservices.LocalRedis;
import dev.conveyor.testing.LocalRedisCluster;
import dev.conveyor.testing.LocalRedisSentinel;
import dev.conveyor.testing.TestKeys;

import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * Starts the OS processes of one process-level test (redis-server, or a cluster of them, and the packaged Conveyor
 * jars), each with its output in {@code target/it-logs/<class>/<method>/}, prints the tail of every log when the
 * test fails, and stops everything after the test, whatever happened. Register it with {@code @RegisterExtension}.
 */
final class Processes implements BeforeEachCallback, AfterTestExecutionCallback, AfterEachCallback {

    private static final Logger LOG = Logger.getLogger(Processes.class);

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    static final ObjectMapper JSON = new ObjectMapper();
    private static final int TAIL_LINES = 80;

    private final Deque<Runnable> stops = new ArrayDeque<>();
    private final List<Path> logs = new ArrayList<>();
    private Path dir;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        for (AppProcess.Role role : AppProcess.Role.values()) {
            if (!Files.isRegularFile(Path.of(role.jar))) {
                throw new IllegalStateException(role.jar + " is missing: run ./mvnw verify (it packages every role)");
            }
        }
        String method = context.getRequiredTestMethod().getName();
        String display = context.getDisplayName();
        // a parameterized test's invocations ("[1] STOPPED") each get their own directory
        String name = display.endsWith("()") ? method : method + "-" + display.replaceAll("[^A-Za-z0-9_-]+", "_");
        dir = Path.of("target", "it-logs", context.getRequiredTestClass().getSimpleName(), name).toAbsolutePath();
        LocalRedisCluster.deleteTree(dir);
        Files.createDirectories(dir);
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isPresent()) {
            printTails();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        while (!stops.isEmpty()) {
            try {
                stops.pop().run();
            } catch (RuntimeException e) {
                LOG.warn("could not stop a process", e);
            }
        }
    }

    Path dir() {
        return dir;
    }

    /** A redis-server on a free port, keeping its files in its own directory; stopped after the test. */
    RedisProcess startRedis(String... args) throws IOException {
        return startRedis(null, 0, null, args);
    }

    /** One redis-server, or a cluster of three primaries with a replica each; {@code args} go to every server. */
    TestRedis startRedis(TestRedis.Topology topology, String... args) throws IOException {
        return topology == TestRedis.Topology.CLUSTER ? startRedisCluster(args) : startRedis(args);
    }

    /** A Redis Cluster (three primaries, one replica each) on free ports, each node in its own directory. */
    RedisClusterProcess startRedisCluster(String... args) throws IOException {
        LocalRedisCluster cluster = LocalRedisCluster.start(dir.resolve("redis-cluster"), 3, 1, args);
        stops.push(cluster::close);
        cluster.ports().forEach(port -> logs.add(cluster.dirOf(port).resolve("redis-" + port + ".log")));
        return new RedisClusterProcess(cluster);
    }

    /** As {@link #startRedis(String...)}, demanding {@code password} of every client (requirepass). */
    RedisProcess startRedisWithPassword(String password, String... args) throws IOException {
        return startRedis(password, 0, null, concat(args, "--requirepass", password));
    }

    /** A redis-server that demands {@code password} and serves TLS with {@code certificate} on a port of its own. */
    RedisProcess startRedisWithTls(String password, TestCertificate certificate) throws IOException {
        int tlsPort = LocalRedis.freePort();
        return startRedis(password, tlsPort, certificate, "--requirepass", password,
                "--tls-port", Integer.toString(tlsPort), "--tls-auth-clients", "no",
                "--tls-cert-file", certificate.certificate().toString(),
                "--tls-key-file", certificate.key().toString());
    }

    private RedisProcess startRedis(String password, int tlsPort, TestCertificate certificate, String... args)
            throws IOException {
        Path redisDir = dir.resolve("redis");
        LocalRedis started = LocalRedis.start(LocalRedis.freePort(), redisDir, args);
        RedisProcess redis = new RedisProcess(started, redisDir, password, tlsPort, certificate);
        logs.add(redisDir.resolve("redis-" + redis.port() + ".log"));
        stops.push(redis::stop);
        return redis;
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    /** A primary, its replica and three sentinels (see {@link LocalRedisSentinel}); stopped after the test. */
    LocalRedisSentinel startSentinel() throws IOException {
        LocalRedisSentinel sentinel = LocalRedisSentinel.start(dir.resolve("sentinel"));
        logs.addAll(sentinel.logs());
        stops.push(sentinel::close);
        return sentinel;
    }

    /** A Redis Cluster of three primaries with a replica each ({@link LocalRedisCluster}); stopped after the test. */
    LocalRedisCluster startCluster() throws IOException {
        return startRedisCluster().cluster();
    }

    AppProcess startApi(String name, TestRedis redis, Map<String, String> env) throws IOException {
        return start(name, AppProcess.Role.API, redis, env);
    }

    AppProcess startWorker(String name, TestRedis redis, Map<String, String> env) throws IOException {
        return start(name, AppProcess.Role.WORKER, redis, env);
    }

    /**
     * Starts one packaged jar with its own free ports; does not wait for it to be ready. Access control is on in a
     * packaged jar: the process lets {@link TestKeys#ADMIN} in, which the HTTP helpers below send, unless {@code env}
     * names its own {@code CONVEYOR_AUTH_KEYS_FILE}.
     */
    AppProcess start(String name, AppProcess.Role role, TestRedis redis, Map<String, String> env)
            throws IOException {
        return start(name, role, redis.appEnvironment(), env);
    }

    /** As above, with the application's Redis settings as environment variables (a Sentinel or a Cluster). */
    AppProcess start(String name, AppProcess.Role role, Map<String, String> redisEnv, Map<String, String> env)
            throws IOException {
        int httpPort = LocalRedis.freePort();
        int managementPort = LocalRedis.freePort();
        Path log = dir.resolve(name + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", Path.of(role.jar).toAbsolutePath().toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> environment = builder.environment();
        environment.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
        environment.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        environment.putAll(redisEnv);
        // worker ids are host:pid:random; the host part names the process in the logs
        environment.put("HOSTNAME", name);
        environment.put("CONVEYOR_AUTH_KEYS_FILE",
                TestKeys.write(dir.resolve("admin-keys.json"), List.of(TestKeys.admin())).toString());
        environment.putAll(env);
        AppProcess app = new AppProcess(name, role, builder.start(), httpPort, managementPort, log);
        logs.add(log);
        stops.push(app::stop);
        return app;
    }

    /** Redis, the API and a worker that the Redis-outage tests share. */
    record Stack<R extends TestRedis>(R redis, AppProcess api, AppProcess worker) {
    }

    /** Every write of a durable stack's Redis is in its AOF, fsynced, before Redis answers. */
    private static final String[] DURABLE = { "--appendonly", "yes", "--appendfsync", "always" };

    /**
     * One redis-server with AOF fsynced on every write, the API, and a worker serving {@code queue} with short leases
     * and retries, keeping every succeeded job (the tests read each one after the run); returns once both
     * applications are ready.
     */
    Stack<RedisProcess> startDurableStack(String queue) throws Exception {
        return startDurableStack(queue, startRedis(DURABLE));
    }

    /** As {@link #startDurableStack(String)}, on one server or on a cluster whose every node keeps such an AOF. */
    Stack<TestRedis> startDurableStack(String queue, TestRedis.Topology topology) throws Exception {
        return startDurableStack(queue, startRedis(topology, DURABLE));
    }

    private <R extends TestRedis> Stack<R> startDurableStack(String queue, R redis) throws Exception {
        AppProcess api = startApi("api", redis, Map.of());
        AppProcess worker = startWorker("worker", redis, env(
                "CONVEYOR_WORKER_LEASE", "5s",
                "CONVEYOR_WORKER_REAP_INTERVAL", "1s",
                "CONVEYOR_WORKER_CONCURRENCY", "20",
                "CONVEYOR_WORKER_QUEUES", queue,
                "CONVEYOR_RETRY_INITIAL_DELAY", "50ms",
                "CONVEYOR_RETRY_MAX_DELAY", "1s",
                "CONVEYOR_RETENTION_SUCCEEDED_COUNT", "1000000"));
        api.awaitReady(Duration.ofSeconds(90));
        worker.awaitReady(Duration.ofSeconds(90));
        return new Stack<>(redis, api, worker);
    }

    /** Environment variables from alternating names and values. */
    static Map<String, String> env(String... namesAndValues) {
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            env.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return env;
    }

    void printTails() {
        for (Path log : logs) {
            try {
                List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
                LOG.infof("last %d lines of %s:%n%s", TAIL_LINES, log,
                        String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size())));
            } catch (IOException | UncheckedIOException e) {
                LOG.warnf(e, "%s is unreadable", log);
            }
        }
    }

    // --- HTTP -----------------------------------------------------------------------------------------------

    record Answer(int status, JsonNode body, HttpResponse<String> response) {
    }

    /** POSTs JSON to the API with a bounded wait (the request fails with an exception when it takes longer). */
    static Answer post(AppProcess api, String path, String json, Duration timeout) throws IOException,
            InterruptedException {
        return send(asAdmin(api, path, timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    static Answer get(AppProcess api, String path) throws IOException, InterruptedException {
        return send(asAdmin(api, path, Duration.ofSeconds(10)).GET());
    }

    /** A request to the API with the key every started process lets in. */
    static HttpRequest.Builder asAdmin(AppProcess api, String path, Duration timeout) {
        return HttpRequest.newBuilder(api.api(path)).timeout(timeout)
                .header("Authorization", TestKeys.bearer(TestKeys.ADMIN));
    }

    static Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = response.body().isEmpty() ? null : JSON.readTree(response.body());
        return new Answer(response.statusCode(), body, response);
    }

    /** Enqueues jobs with POST /jobs/batch (at most 1000 per call) and answers their ids, in order. */
    static List<String> enqueueBatch(AppProcess api, List<String> jobsJson) throws IOException, InterruptedException {
        Answer answer = post(api, "/jobs/batch", "{\"jobs\":[" + String.join(",", jobsJson) + "]}",
                Duration.ofSeconds(30));
        if (answer.status() != 201) {
            throw new IllegalStateException("POST /jobs/batch answered " + answer.status() + ": " + answer.body());
        }
        List<String> ids = new ArrayList<>();
        answer.body().path("jobs").forEach(job -> ids.add(job.path("id").asText()));
        if (ids.size() != jobsJson.size()) {
            throw new IllegalStateException("POST /jobs/batch answered " + ids.size() + " ids for " + jobsJson.size());
        }
        return ids;
    }

    // --- Redis keys (see queue.QueueKeys) -------------------------------------------------------------------

    static String jobKey(String jobId) {
        int dot = jobId.lastIndexOf('.');
        return "conveyor:{" + jobId.substring(0, dot) + "}:job:" + jobId.substring(dot + 1);
    }

    static String queueKey(String queue, String suffix) {
        return "conveyor:{" + queue + "}:" + suffix;
    }

    /** Fields of many job hashes in batched round trips: job id -> values (null where a field or job is missing). */
    static Map<String, List<String>> jobFields(RedisClient redis, List<String> ids, String... fields) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (int from = 0; from < ids.size(); from += 1000) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 1000));
            List<Request> commands = new ArrayList<>();
            for (String id : chunk) {
                List<String> args = new ArrayList<>(List.of(jobKey(id)));
                args.addAll(List.of(fields));
                commands.add(RedisClient.request("HMGET", args.toArray(String[]::new)));
            }
            List<Response> replies = redis.batch(commands);
            for (int i = 0; i < chunk.size(); i++) {
                List<String> row = new ArrayList<>();
                replies.get(i).forEach(value -> row.add(value == null ? null : value.toString()));
                values.put(chunk.get(i), row);
            }
        }
        return values;
    }

}
