package dev.conveyor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.assertj.core.api.SoftAssertions;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.conveyor.it.ManifestsNetworkPolicies.Peer;

/**
 * The Kubernetes manifests build and are valid: {@code kustomize build} of k8s/base and of every overlay, each object
 * checked against the Kubernetes OpenAPI schemas (src/test/k8s/validate.mjs, installed by the pom's npm ci), and the
 * settings that must agree with the code or with each other do. What needs the running application is in
 * {@link ManifestsAgainstJarsIT}.
 */
class ManifestsIT {

    private static final Logger LOG = Logger.getLogger(ManifestsIT.class);

    private static final Map<String, List<JsonNode>> RENDERED = new LinkedHashMap<>();
    private static final List<Path> FILES = new ArrayList<>();

    @BeforeAll
    static void render() throws Exception {
        for (Map.Entry<String, Path> kustomization : Manifests.kustomizations().entrySet()) {
            Path file = Manifests.render(kustomization.getKey(), kustomization.getValue());
            FILES.add(file);
            RENDERED.put(kustomization.getKey(), Manifests.read(file));
        }
    }

    @Test
    void kustomizeBuildsBaseAndEveryOverlay() {
        assertThat(RENDERED.keySet()).containsAll(Manifests.REQUIRED_OVERLAYS);
        RENDERED.forEach((name, objects) -> assertThat(objects).as(name).isNotEmpty());
    }

    @Test
    void everyObjectIsValidAgainstTheKubernetesSchemas() throws Exception {
        Path validator = Path.of("src", "test", "k8s");
        assertThat(validator.resolve("node_modules")).as("npm ci in src/test/k8s (the pom runs it before the ITs)")
                .isDirectory();
        List<String> command = new ArrayList<>(List.of("node", validator.resolve("validate.mjs").toString()));
        FILES.forEach(file -> command.add(file.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(300, TimeUnit.SECONDS)).isTrue();
        LOG.info(output);
        assertThat(process.exitValue()).as(output).isZero();
        // every rendered object went through the validator
        int objects = RENDERED.values().stream().mapToInt(List::size).sum();
        assertThat(output).contains("valid: " + objects + " objects");
    }

    @Test
    void overlaysDoWhatTheySay() {
        List<JsonNode> production = RENDERED.get("production");
        JsonNode redis = Manifests.get(production, "StatefulSet", "redis");
        assertThat(Manifests.container(redis).path("args").toString()).contains("\"--appendonly\",\"yes\"",
                "\"--appendfsync\",\"everysec\"");
        Manifests.get(production, "HorizontalPodAutoscaler", "conveyor-worker");

        List<JsonNode> external = RENDERED.get("external-redis");
        assertThat(Manifests.find(external, "StatefulSet", "redis")).isEmpty();
        assertThat(Manifests.find(external, "Service", "redis")).isEmpty();
        ManifestsNetworkPolicies externalPolicies = new ManifestsNetworkPolicies(external);
        for (String deployment : List.of("conveyor-api", "conveyor-worker")) {
            JsonNode workload = Manifests.get(external, "Deployment", deployment);
            Map<String, String> env = Manifests.environment(external, Manifests.container(workload));
            assertThat(env.get("QUARKUS_REDIS_HOSTS")).as(deployment).startsWith("rediss://")
                    .doesNotContain("//redis:");
            assertThat(env.get("QUARKUS_REDIS_TLS_CONFIGURATION_NAME")).as(deployment).isEqualTo("redis");
            // the placeholder Redis address of redis-egress.yaml
            assertThat(externalPolicies.allows(Peer.pod(podLabels(workload)), Peer.address("203.0.113.10"), 6380))
                    .as(deployment + " to the external Redis").isTrue();
        }

        assertRedisOfItsOwnChart("redis-cluster", "cluster", "redis-cluster", 6379);
        assertRedisOfItsOwnChart("redis-sentinel", "sentinel", "redis", 26379);
        JsonNode sentinelWorker = Manifests.get(RENDERED.get("redis-sentinel"), "Deployment", "conveyor-worker");
        assertThat(Manifests.environment(RENDERED.get("redis-sentinel"), Manifests.container(sentinelWorker)))
                .containsEntry("QUARKUS_REDIS_MASTER_NAME", "mymaster").containsEntry("QUARKUS_REDIS_ROLE", "master");

        List<JsonNode> keda = RENDERED.get("keda");
        assertThat(Manifests.ofKind(keda, "HorizontalPodAutoscaler")).isEmpty();
        JsonNode scaled = Manifests.get(keda, "ScaledObject", "conveyor-worker");
        assertThat(scaled.path("spec").path("scaleTargetRef").path("name").asText()).isEqualTo("conveyor-worker");
        JsonNode prometheus = scaled.path("spec").path("triggers").findParent("query");
        assertThat(prometheus.path("query").asText()).contains("max", "conveyor_queue_jobs", "status=\"queued\"");
    }

    /** Our Redis gone, the client in {@code clientType}, the chart's pods ({@code podName}) reachable on its ports. */
    private static void assertRedisOfItsOwnChart(String overlay, String clientType, String podName, int port) {
        List<JsonNode> objects = RENDERED.get(overlay);
        assertThat(Manifests.find(objects, "StatefulSet", "redis")).as(overlay).isEmpty();
        ManifestsNetworkPolicies policies = new ManifestsNetworkPolicies(objects);
        Peer redis = Peer.pod(Map.of("app.kubernetes.io/name", podName));
        for (String deployment : List.of("conveyor-api", "conveyor-worker")) {
            String what = overlay + " " + deployment;
            JsonNode workload = Manifests.get(objects, "Deployment", deployment);
            Map<String, String> env = Manifests.environment(objects, Manifests.container(workload));
            assertThat(env.get("QUARKUS_REDIS_CLIENT_TYPE")).as(what).isEqualTo(clientType);
            Peer app = Peer.pod(podLabels(workload));
            assertThat(policies.allows(app, redis, port)).as(what + " to " + podName + ":" + port).isTrue();
            assertThat(policies.allows(app, redis, 6379)).as(what + " to " + podName + ":6379").isTrue();
        }
    }

    @Test
    void workerGracePeriodCoversTheShutdownTimeoutAndTheHandBack() throws Exception {
        for (Map.Entry<String, List<JsonNode>> overlay : RENDERED.entrySet()) {
            JsonNode worker = Manifests.get(overlay.getValue(), "Deployment", "conveyor-worker");
            Map<String, String> env = Manifests.environment(overlay.getValue(), Manifests.container(worker));
            Duration shutdown = Manifests.duration(Manifests.setting(env, "conveyor.worker.shutdown-timeout"));
            long grace = worker.path("spec").path("template").path("spec").path("terminationGracePeriodSeconds")
                    .asLong(30);
            // ClaimLoop: the shutdown timeout, then up to 5 s to hand unfinished jobs back
            assertThat(Duration.ofSeconds(grace)).as(overlay.getKey())
                    .isGreaterThan(shutdown.plus(ManifestsAgainstJarsIT.HAND_BACK));
        }
    }

    @Test
    void podsAreLockedDownAndSized() {
        for (Map.Entry<String, List<JsonNode>> overlay : RENDERED.entrySet()) {
            for (JsonNode workload : Manifests.workloads(overlay.getValue())) {
                String what = overlay.getKey() + " " + workload.path("metadata").path("name").asText();
                JsonNode pod = workload.path("spec").path("template").path("spec");
                assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).as(what).isTrue();
                for (JsonNode container : pod.path("containers")) {
                    JsonNode security = container.path("securityContext");
                    assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).as(what).isFalse();
                    assertThat(security.path("readOnlyRootFilesystem").asBoolean()).as(what).isTrue();
                    assertThat(security.path("capabilities").path("drop").toString()).as(what).contains("\"ALL\"");
                    for (String bound : List.of("requests", "limits")) {
                        assertThat(container.path("resources").path(bound).has("cpu")).as(what + " " + bound).isTrue();
                        assertThat(container.path("resources").path(bound).has("memory")).as(what + " " + bound)
                                .isTrue();
                    }
                }
            }
            for (String deployment : List.of("conveyor-api", "conveyor-worker")) {
                JsonNode pod = Manifests.get(overlay.getValue(), "Deployment", deployment).path("spec").path("template")
                        .path("spec");
                assertThat(Manifests.container(Manifests.get(overlay.getValue(), "Deployment", deployment))
                        .path("volumeMounts").findValuesAsText("mountPath")).contains("/tmp");
                assertThat(pod.path("volumes").findParent("emptyDir")).as(deployment + " /tmp").isNotNull();
                assertThat(Manifests.find(overlay.getValue(), "PodDisruptionBudget", deployment)).as(deployment)
                        .isPresent();
            }
        }
    }

    /**
     * The container's memory is Redis' maxmemory plus headroom for what maxmemory does not count (fragmentation, the
     * AOF rewrite's copy-on-write, Redis itself), and is reserved on the node: else the kernel kills Redis before it
     * refuses a write.
     */
    @Test
    void redisMemoryIsItsMaxmemoryPlusHeadroomAndReserved() {
        for (Map.Entry<String, List<JsonNode>> overlay : RENDERED.entrySet()) {
            Manifests.find(overlay.getValue(), "StatefulSet", "redis").ifPresent(redis -> {
                String what = overlay.getKey() + " redis";
                JsonNode container = Manifests.container(redis);
                assertThat(Manifests.argument(container, "--maxmemory-policy")).as(what).contains("noeviction");
                long maxmemory = Manifests.redisBytes(Manifests.argument(container, "--maxmemory")
                        .orElseThrow(() -> new AssertionError(what + " has no --maxmemory")));
                JsonNode resources = container.path("resources");
                long limit = Manifests.quantityBytes(resources.path("limits").path("memory").asText());
                long request = Manifests.quantityBytes(resources.path("requests").path("memory").asText());
                assertThat(limit).as(what + " memory limit against maxmemory " + maxmemory)
                        .isBetween(maxmemory * 5 / 4, maxmemory * 3 / 2);
                assertThat(request).as(what + " memory request").isEqualTo(limit);
            });
        }
    }

    @Test
    void redisDemandsAPasswordFromASecretThatIsNotInGit() throws Exception {
        String password = Manifests.REDIS_SECRET + "/" + Manifests.REDIS_SECRET_KEY;
        for (Map.Entry<String, List<JsonNode>> overlay : RENDERED.entrySet()) {
            List<JsonNode> objects = overlay.getValue();
            // the operator makes the Secrets (docs/deployment.md, docs/security.md): none in the manifests, so no
            // password and no key hash in Git
            assertThat(Manifests.ofKind(objects, "Secret")).as(overlay.getKey()).isEmpty();
            for (String deployment : List.of("conveyor-api", "conveyor-worker")) {
                String what = overlay.getKey() + " " + deployment;
                JsonNode workload = Manifests.get(objects, "Deployment", deployment);
                JsonNode container = Manifests.container(workload);
                assertThat(Manifests.secretReference(container, "QUARKUS_REDIS_PASSWORD")).as(what).contains(password);
                Map<String, String> env = Manifests.environment(objects, container);
                assertThat(env.get("QUARKUS_REDIS_HOSTS")).as(what).isNotBlank().doesNotContain("@");
                env.forEach((name, value) -> {
                    // a path to a file of a mounted Secret names no secret
                    boolean secretFile = Manifests.secretFile(workload, value).isPresent();
                    if (name.matches(".*(PASSWORD|AUTH|SECRET|TOKEN).*") && !secretFile) {
                        assertThat(value).as(what + " " + name + " comes from a Secret").startsWith("<secret ");
                    }
                });
            }
            Manifests.find(objects, "StatefulSet", "redis").ifPresent(redis -> {
                JsonNode container = Manifests.container(redis);
                assertThat(Manifests.secretReference(container, "REDIS_PASSWORD")).contains(password);
                List<String> command = new ArrayList<>();
                container.path("command").forEach(part -> command.add(part.asText()));
                assertThat(String.join(" ", command)).contains("requirepass \"$REDIS_PASSWORD\"");
                // redis-cli exits 0 on NOAUTH: a probe must authenticate and look for PONG
                assertThat(Manifests.secretReference(container, "REDISCLI_AUTH")).contains(password);
                for (String probe : List.of("readinessProbe", "livenessProbe")) {
                    assertThat(container.path(probe).path("exec").path("command").toString()).as(probe)
                            .contains("redis-cli ping", "grep -q PONG");
                }
            });
        }
        // nor in a URL of any file under k8s/, comments included
        try (Stream<Path> files = Files.walk(Manifests.K8S)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(file)).as(file.toString()).doesNotContainPattern("[a-z]+://[^/\\s]*@");
            }
        }
    }

    /**
     * The API reads its keys file from the Secret the operator makes, mounted as a directory: a subPath mount would
     * never see a rotated Secret. Without the file a packaged API refuses every request.
     */
    @Test
    void theApiReadsItsKeysFromTheSecretMountedAsADirectoryInEveryOverlay() {
        for (Map.Entry<String, List<JsonNode>> overlay : RENDERED.entrySet()) {
            String what = overlay.getKey() + " conveyor-api";
            JsonNode api = Manifests.get(overlay.getValue(), "Deployment", "conveyor-api");
            String file = Manifests.environment(overlay.getValue(), Manifests.container(api))
                    .get(Manifests.API_KEYS_VARIABLE);
            assertThat(file).as(what + " " + Manifests.API_KEYS_VARIABLE).isNotBlank();
            Manifests.SecretFile keys = Manifests.secretFile(api, file).orElseThrow(() -> new AssertionError(what
                    + ": " + file + " is not in a directory mounted from a Secret"));
            assertThat(keys.secret()).as(what).isEqualTo(Manifests.API_KEYS_SECRET);
            assertThat(keys.key()).as(what).isEqualTo(Manifests.API_KEYS_SECRET_KEY);
            assertThat(keys.mount().has("subPath")).as(what + " subPath mount of the keys").isFalse();
            assertThat(keys.mount().path("readOnly").asBoolean()).as(what + " keys mount read-only").isTrue();
        }
    }

    @Test
    void everyImageIsPinnedToARelease() {
        for (Map.Entry<String, List<JsonNode>> overlay : RENDERED.entrySet()) {
            for (JsonNode workload : Manifests.workloads(overlay.getValue())) {
                for (JsonNode container : workload.path("spec").path("template").path("spec").path("containers")) {
                    String image = container.path("image").asText();
                    String what = overlay.getKey() + " " + container.path("name").asText();
                    if (container.path("name").asText().equals("redis")) {
                        assertThat(image).as(what).matches("redis:\\d+\\.\\d+\\.\\d+(@sha256:[0-9a-f]{64})?");
                    } else {
                        assertThat(image).as(what).matches(".+:[^:/]+").doesNotEndWith(":latest");
                    }
                }
            }
        }
    }

    @Test
    void networkPoliciesGuardRedisTheManagementPortAndTheWorkersWayOut() {
        for (Map.Entry<String, List<JsonNode>> overlay : RENDERED.entrySet()) {
            List<JsonNode> objects = overlay.getValue();
            ManifestsNetworkPolicies policies = new ManifestsNetworkPolicies(objects);
            Peer api = Peer.pod(podLabels(Manifests.get(objects, "Deployment", "conveyor-api")));
            Peer worker = Peer.pod(podLabels(Manifests.get(objects, "Deployment", "conveyor-worker")));
            Peer intruder = Peer.pod(Map.of("app.kubernetes.io/name", "intruder"));
            Peer lookalike = Peer.pod(worker.podLabels(), "elsewhere");
            Peer prometheus = Peer.pod(Map.of("app.kubernetes.io/name", "prometheus"), "monitoring");
            Peer dns = Peer.pod(Map.of("k8s-app", "kube-dns"), "kube-system");
            SoftAssertions soft = new SoftAssertions();

            Optional<JsonNode> redisSet = Manifests.find(objects, "StatefulSet", "redis");
            redisSet.ifPresent(set -> {
                Peer redis = Peer.pod(podLabels(set));
                soft.assertThat(policies.allows(api, redis, 6379)).as(overlay.getKey() + " api to redis").isTrue();
                soft.assertThat(policies.allows(worker, redis, 6379)).as(overlay.getKey() + " worker to redis")
                        .isTrue();
                for (Peer stranger : List.of(intruder, lookalike, prometheus)) {
                    soft.assertThat(policies.allows(stranger, redis, 6379))
                            .as(overlay.getKey() + " " + stranger + " to redis").isFalse();
                }
                soft.assertThat(policies.allows(redis, Peer.address("198.51.100.7"), 443))
                        .as(overlay.getKey() + " redis to the internet").isFalse();
            });

            for (Peer app : List.of(api, worker)) {
                soft.assertThat(policies.allows(prometheus, app, 9000)).as(overlay.getKey() + " scrape " + app)
                        .isTrue();
                for (Peer stranger : List.of(intruder, lookalike, Peer.address("198.51.100.7"))) {
                    soft.assertThat(policies.allows(stranger, app, 9000))
                            .as(overlay.getKey() + " " + stranger + " to the management port of " + app).isFalse();
                }
                soft.assertThat(policies.allows(app, dns, 53, "UDP")).as(overlay.getKey() + " DNS of " + app).isTrue();
            }
            soft.assertThat(policies.allows(intruder, api, 8080)).as(overlay.getKey() + " API from the cluster")
                    .isTrue();
            soft.assertThat(policies.allows(Peer.address("198.51.100.7"), api, 8080))
                    .as(overlay.getKey() + " API from outside").isTrue();
            soft.assertThat(policies.allows(intruder, worker, 8080)).as(overlay.getKey() + " into the worker")
                    .isFalse();
            soft.assertThat(policies.allows(api, Peer.address("198.51.100.7"), 443))
                    .as(overlay.getKey() + " the API makes no outgoing requests").isFalse();

            for (String blocked : List.of("169.254.169.254", "10.0.0.1", "172.16.5.4", "192.168.1.1", "100.64.0.1",
                    "127.0.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "fd00::1", "fe80::1", "::1",
                    "::ffff:10.0.0.1", "64:ff9b::a00:1")) {
                soft.assertThat(policies.allows(worker, Peer.address(blocked), 80))
                        .as(overlay.getKey() + " worker to " + blocked).isFalse();
            }
            for (String open : List.of("198.51.100.7", "2001:db8::1")) {
                soft.assertThat(policies.allows(worker, Peer.address(open), 443))
                        .as(overlay.getKey() + " worker to " + open).isTrue();
            }
            soft.assertAll();
        }
    }

    private static Map<String, String> podLabels(JsonNode workload) {
        Map<String, String> labels = new LinkedHashMap<>();
        workload.path("spec").path("template").path("metadata").path("labels").fields()
                .forEachRemaining(label -> labels.put(label.getKey(), label.getValue().asText()));
        return labels;
    }

    @Test
    void thePrometheusAdapterRuleServesTheHpaMetric() throws Exception {
        JsonNode hpa = Manifests.get(RENDERED.get("production"), "HorizontalPodAutoscaler", "conveyor-worker");
        JsonNode object = hpa.path("spec").path("metrics").findParent("describedObject");
        String metric = object.path("metric").path("name").asText();
        String rules = Files.readString(Manifests.K8S.resolve("prometheus-adapter").resolve("values.yaml"));
        assertThat(rules).contains("as: " + metric, "seriesQuery: '" + metric + "{", "max by");
        assertThat(object.path("describedObject").path("name").asText()).isEqualTo("conveyor-worker");
    }
}
