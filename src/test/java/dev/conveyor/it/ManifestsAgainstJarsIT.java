package dev.conveyor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.conveyor.devservices.LocalRedis;
import dev.conveyor.testing.TestKeys;

/**
 * The manifests agree with the code: the packaged API and worker (target/api and target/worker, the jars of
 * {@code ./mvnw package}, or the native executables after {@code -Dnative}) run as processes with the environment the
 * production overlay gives their containers (ConfigMap, Secret, env), and
 * <ul>
 * <li>every startup, liveness and readiness probe's path answers 200 on the port the probe names;
 * <li>the Service's target port reaches the API, and a job enqueued there is run by the worker;
 * <li>the API lets in only the key whose hash the test puts in the Secret conveyor-api-keys, which the API Deployment
 * mounts (every call of the test sends that key);
 * <li>the metric the worker HPA scales on is in the worker's /q/metrics, with the label it selects;
 * <li>on SIGTERM with a job running, the worker exits within its terminationGracePeriodSeconds, and hands the job back.
 * </ul>
 * Redis is the Redis container's own command and arguments from the manifests, run as a local process with the
 * password the test puts in the Secret conveyor-redis (which the operator makes outside Git): it must demand that
 * password, and the API and the worker must use it. Four things differ from a pod, on purpose: QUARKUS_REDIS_HOSTS
 * points at that local redis-server (the manifests' host "redis" exists only in the cluster), Redis keeps its files
 * in a local directory and listens on a free loopback port, a Secret mounted as a volume is a local directory (and
 * settings naming a file in it name that directory's file), and each container port is moved to a free local port
 * (API and worker both use 9000, and other programs may hold 8080 and 9000 here); the test checks first that the
 * manifests' container ports are the ports the application listens on by default.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ManifestsAgainstJarsIT {

    private static final Logger LOG = Logger.getLogger(ManifestsAgainstJarsIT.class);

    /** ClaimLoop's HAND_BACK_TIMEOUT: after the shutdown timeout, how long handing unfinished jobs back may take. */
    static final Duration HAND_BACK = Duration.ofSeconds(5);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static List<JsonNode> objects;
    /** What the test puts in the Secret conveyor-redis, key password, as the operator would. */
    private static final String REDIS_PASSWORD = randomPassword();

    private static Process redis;
    private static int redisPort;
    private static Pod api;
    private static Pod worker;

    /** One container run as a local process: its manifest, environment, and container port to local port map. */
    record Pod(String role, JsonNode deployment, JsonNode container, Map<String, String> env,
            Map<Integer, Integer> ports, Process process, Path log) {

        int local(JsonNode port) {
            int containerPort = Manifests.containerPort(container, port);
            assertThat(ports).as(role + " container port " + containerPort).containsKey(containerPort);
            return ports.get(containerPort);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        objects = Manifests.read(Manifests.render("production", Manifests.kustomizations().get("production")));
        redis = startRedis(Path.of("target", "manifests-redis"));
        api = launch("api", "conveyor-api");
        awaitStarted(api);
        // The queue-depth gauges exist only for queues that existed when the process started (or appeared while a
        // gauge was being read): give Redis a queue before the worker starts.
        enqueue("{\"type\":\"echo\",\"payload\":{\"seed\":true}}");
        worker = launch("worker", "conveyor-worker");
        awaitStarted(worker);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (Pod pod : new Pod[] { worker, api }) {
            if (pod != null && pod.process().isAlive()) {
                pod.process().destroyForcibly();
            }
        }
        if (redis != null) {
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String secret(String reference) {
        if (reference.startsWith(Manifests.CALLBACKS_SECRET + "/")) {
            // the signing secret as the operator would make it, without the optional key of a rotation
            return reference.equals(Manifests.CALLBACKS_SECRET + "/" + Manifests.CALLBACKS_SECRET_KEY)
                    ? "webhook-signing-secret" : "";
        }
        if (reference.startsWith(Manifests.SMTP_SECRET + "/")) {
            // an installation that sends no email: the optional Secret is not there
            return null;
        }
        assertThat(reference).as("the Secrets the manifests use")
                .isEqualTo(Manifests.REDIS_SECRET + "/" + Manifests.REDIS_SECRET_KEY);
        return REDIS_PASSWORD;
    }

    /** What the test puts in a Secret the manifests mount, as the operator would: a keys file letting the admin in. */
    private static void writeSecret(String secret, Path dir) {
        assertThat(secret).as("the only Secret the manifests mount").isEqualTo(Manifests.API_KEYS_SECRET);
        TestKeys.write(dir.resolve(Manifests.API_KEYS_SECRET_KEY), List.of(TestKeys.admin()));
    }

    /**
     * The Redis container's command and arguments with its environment, its data directory (the volume's mount path)
     * replaced by a local one, and a free loopback port appended (Redis takes the last value of a setting); waits
     * until it answers.
     */
    private static Process startRedis(Path dir) throws Exception {
        // the manifests turn the AOF on: start empty, not with the jobs of an earlier run
        if (Files.exists(dir)) {
            try (Stream<Path> old = Files.walk(dir)) {
                for (Path path : old.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        Files.createDirectories(dir);
        JsonNode container = Manifests.container(Manifests.get(objects, "StatefulSet", "redis"));
        List<String> command = new ArrayList<>();
        container.path("command").forEach(part -> command.add(part.asText()));
        container.path("args").forEach(part -> command.add(part.asText()));
        int dirValue = command.indexOf("--dir") + 1;
        assertThat(dirValue).as("the Redis container sets --dir").isPositive();
        command.set(dirValue, dir.toAbsolutePath().toString());
        redisPort = LocalRedis.freePort();
        command.addAll(List.of("--port", Integer.toString(redisPort), "--bind", "127.0.0.1"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Path.of("target", "manifests-redis.log").toFile());
        builder.environment().putAll(Manifests.environment(objects, container, ManifestsAgainstJarsIT::secret));
        Process process = builder.start();
        Awaitility.await("redis answers").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .failFast(() -> !process.isAlive())
                .until(() -> LocalRedis.answers("127.0.0.1", redisPort));
        return process;
    }

    private static Pod launch(String role, String deployment) throws Exception {
        JsonNode workload = Manifests.get(objects, "Deployment", deployment);
        JsonNode container = Manifests.container(workload);
        Map<String, String> env = new HashMap<>(Manifests.environment(objects, container,
                ManifestsAgainstJarsIT::secret));
        Map<Integer, Integer> ports = new HashMap<>();
        // Every port the application opens, where the container declares it, moved to a free local port.
        for (String property : List.of("quarkus.http.port", "quarkus.management.port")) {
            String variable = property.toUpperCase().replace('.', '_');
            String configured = Manifests.setting(env, property);
            int port = configured == null ? 8080 : Integer.parseInt(configured); // Quarkus' default HTTP port
            int local = LocalRedis.freePort();
            ports.put(port, local);
            env.put(variable, Integer.toString(local));
        }
        env.put("QUARKUS_REDIS_HOSTS", "redis://127.0.0.1:" + redisPort);
        // Each Secret the container mounts is a local directory with what the test put in the Secret; settings that
        // name a file in the mount name the file in that directory.
        for (JsonNode mount : container.path("volumeMounts")) {
            String mountPath = mount.path("mountPath").asText();
            Optional<String> secret = Manifests.secretOf(workload, mount);
            if (secret.isPresent()) {
                Path local = Path.of("target", "manifests-" + role + "-" + mount.path("name").asText())
                        .toAbsolutePath();
                writeSecret(secret.get(), local);
                env.replaceAll((name, value) -> value.startsWith(mountPath + "/")
                        ? local + value.substring(mountPath.length()) : value);
            }
        }

        Path dir = Path.of("target", role);
        Properties artifact = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve("quarkus-artifact.properties"))) {
            artifact.load(in);
        }
        Path binary = dir.resolve(artifact.getProperty("path"));
        List<String> command = new ArrayList<>();
        if (artifact.getProperty("type").equals("jar")) {
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-jar");
        } else {
            assertThat(artifact.getProperty("type")).isEqualTo("native");
        }
        command.add(binary.toString());
        Path log = Path.of("target", "manifests-" + role + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return new Pod(role, workload, container, env, ports, builder.start(), log);
    }

    /** Waits as long as the startup probe allows (periodSeconds x failureThreshold) for it to answer 200. */
    private static void awaitStarted(Pod pod) {
        JsonNode probe = pod.container().path("startupProbe");
        long budget = probe.path("periodSeconds").asLong(10) * probe.path("failureThreshold").asLong(3);
        Awaitility.await().atMost(Duration.ofSeconds(budget)).pollInterval(Duration.ofMillis(500))
                .failFast(() -> !pod.process().isAlive())
                .until(() -> status(pod, probe) == 200);
    }

    private static int status(Pod pod, JsonNode probe) {
        JsonNode get = probe.path("httpGet");
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pod.local(get.path("port"))
                    + get.path("path").asText())).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** POST /jobs through the port the Service targets, with the key of the keys file in the Secret. */
    private static String enqueue(String body) throws Exception {
        HttpResponse<String> response = HTTP.send(asAdmin("/jobs").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body()).path("id").asText();
    }

    private static HttpRequest.Builder asAdmin(String path) {
        return HttpRequest.newBuilder(URI.create(apiUrl() + path))
                .header("Authorization", TestKeys.bearer(TestKeys.ADMIN));
    }

    private static String apiUrl() {
        JsonNode service = Manifests.get(objects, "Service", "conveyor-api");
        return "http://127.0.0.1:" + api.local(service.path("spec").path("ports").path(0).path("targetPort"));
    }

    private static JsonNode job(String id) throws Exception {
        return JSON.readTree(HTTP.send(asAdmin("/jobs/" + id).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    @Order(1)
    void containerPortsAreThePortsTheApplicationListensOn() {
        for (Pod pod : List.of(api, worker)) {
            for (JsonNode declared : pod.container().path("ports")) {
                assertThat(pod.ports()).as(pod.role() + " declares " + declared).containsKey(
                        declared.path("containerPort").asInt());
            }
            assertThat(pod.container().path("ports").findValuesAsText("name")).contains("management");
        }
        assertThat(api.container().path("ports").findValuesAsText("name")).contains("http");
    }

    @Test
    @Order(2)
    void everyProbeAnswersOnItsPathAndPort() {
        for (Pod pod : List.of(api, worker)) {
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                JsonNode spec = pod.container().path(probe);
                assertThat(spec.path("httpGet").path("path").asText()).as(pod.role() + " " + probe)
                        .startsWith("/q/health/");
                Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                        .untilAsserted(() -> assertThat(status(pod, spec)).as(pod.role() + " " + probe).isEqualTo(200));
            }
        }
    }

    @Test
    @Order(3)
    void aJobEnqueuedThroughTheServiceIsRunByTheWorker() throws Exception {
        String id = enqueue("{\"type\":\"echo\",\"payload\":{\"via\":\"manifests\"}}");
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(job(id).path("status").asText()).isEqualTo("succeeded"));
    }

    /** Access control is on in the packaged API: the manifests' keys file lets only the key it holds a hash of in. */
    @Test
    @Order(3)
    void theApiRefusesARequestWithoutAKnownKey() throws Exception {
        String unknown = "cvk_not-in-the-keys-file";
        for (String authorization : List.of("", TestKeys.bearer(unknown))) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(apiUrl() + "/queues"));
            if (!authorization.isEmpty()) {
                request.header("Authorization", authorization);
            }
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("GET /queues with '" + authorization + "': " + response.body())
                    .isEqualTo(401);
        }
        assertThat(HTTP.send(asAdmin("/queues").build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);
        assertThat(Files.readString(api.log())).as("api log").doesNotContain(TestKeys.ADMIN, unknown);
    }

    @Test
    @Order(3)
    void redisDemandsThePasswordAndBothAppsUseItWithEveryClient() throws Exception {
        assertThatThrownBy(() -> RedisClient.connect(redisPort)).as("a client without the password")
                .hasMessageContaining("NOAUTH");
        try (RedisClient authenticated = RedisClient.connect(redisPort, REDIS_PASSWORD)) {
            assertThat(authenticated.call("PING").toString()).isEqualTo("PONG");
        }
        // NOAUTH in a log: a Redis client of that process (the worker's blocking one, say) went without it
        for (Pod pod : List.of(api, worker)) {
            assertThat(Files.readString(pod.log())).as(pod.role() + " log").doesNotContain("NOAUTH", "WRONGPASS")
                    .doesNotContain(REDIS_PASSWORD);
        }
    }

    @Test
    @Order(4)
    void theHpaMetricIsInTheWorkersMetrics() throws Exception {
        JsonNode hpa = Manifests.get(objects, "HorizontalPodAutoscaler", "conveyor-worker");
        JsonNode object = hpa.path("spec").path("metrics").findParent("describedObject");
        String metric = object.path("metric").path("name").asText();
        Map<String, String> selector = JSON.convertValue(object.path("metric").path("selector").path("matchLabels"),
                JSON.getTypeFactory().constructMapType(Map.class, String.class, String.class));
        assertThat(metric).isNotBlank();
        assertThat(selector).isNotEmpty();
        JsonNode management = worker.container().path("readinessProbe").path("httpGet").path("port");
        URI metrics = URI.create("http://127.0.0.1:" + worker.local(management) + "/q/metrics");
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            String text = HTTP.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(text.lines().filter(line -> line.startsWith(metric + "{")
                    && selector.entrySet().stream().allMatch(e -> line.contains(e.getKey() + "=\"" + e.getValue() + "\""))))
                    .as(metric + " with " + selector + " in the worker's /q/metrics").isNotEmpty();
        });
    }

    @Test
    @Order(5)
    void onSigtermTheWorkerHandsItsJobBackWithinTheGracePeriod() throws Exception {
        String id = enqueue("{\"type\":\"sleep\",\"payload\":{\"ms\":600000},\"queue\":\"default\"}");
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(job(id).path("status").asText()).isEqualTo("running"));

        long grace = worker.deployment().path("spec").path("template").path("spec")
                .path("terminationGracePeriodSeconds").asLong();
        long started = System.nanoTime();
        worker.process().destroy(); // SIGTERM, as the kubelet sends it
        boolean exited = worker.process().waitFor(grace, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        LOG.infof("worker exited %s after SIGTERM (terminationGracePeriodSeconds %d)", took, grace);
        assertThat(exited).as("worker exited within terminationGracePeriodSeconds (" + grace + " s); see "
                + worker.log()).isTrue();
        // the job was handed back, not left running until its lease expires
        assertThat(job(id).path("status").asText()).isEqualTo("queued");
        assertThat(Files.readString(worker.log())).contains("handing 1 unfinished jobs back");
    }
}
