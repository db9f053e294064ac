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
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

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
        for (String deployment : List.of("conveyor-api", "conveyor-worker")) {
            Map<String, String> env = Manifests.environment(external,
                    Manifests.container(Manifests.get(external, "Deployment", deployment)));
            assertThat(env.get("QUARKUS_REDIS_HOSTS")).as(deployment).isNotBlank().doesNotContain("//redis:");
        }

        List<JsonNode> keda = RENDERED.get("keda");
        assertThat(Manifests.ofKind(keda, "HorizontalPodAutoscaler")).isEmpty();
        JsonNode scaled = Manifests.get(keda, "ScaledObject", "conveyor-worker");
        assertThat(scaled.path("spec").path("scaleTargetRef").path("name").asText()).isEqualTo("conveyor-worker");
        JsonNode prometheus = scaled.path("spec").path("triggers").findParent("query");
        assertThat(prometheus.path("query").asText()).contains("max", "conveyor_queue_jobs", "status=\"queued\"");
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
            List<JsonNode> workloads = new ArrayList<>(Manifests.ofKind(overlay.getValue(), "Deployment"));
            workloads.addAll(Manifests.ofKind(overlay.getValue(), "StatefulSet"));
            for (JsonNode workload : workloads) {
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
