package dev.conveyor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.quarkus.runtime.configuration.DurationConverter;

/**
 * The Kubernetes manifests of k8s/, as kustomize renders them: {@code kustomize build} when a kustomize binary is on
 * PATH, else {@code kubectl kustomize} (kubectl 1.27+ embeds kustomize v5). Both run offline.
 */
final class Manifests {

    static final Path K8S = Path.of("k8s");
    static final Path RENDERED = Path.of("target", "k8s");
    static final List<String> REQUIRED_OVERLAYS = List.of("production", "external-redis", "keda", "redis-cluster",
            "redis-sentinel");

    private static final YAMLMapper YAML = new YAMLMapper();

    private Manifests() {
    }

    /** k8s/base and every k8s/overlays/NAME, by name ("base", "production", ...). */
    static Map<String, Path> kustomizations() throws IOException {
        Map<String, Path> dirs = new LinkedHashMap<>();
        dirs.put("base", K8S.resolve("base"));
        try (Stream<Path> overlays = Files.list(K8S.resolve("overlays"))) {
            overlays.filter(dir -> Files.exists(dir.resolve("kustomization.yaml"))).sorted()
                    .forEach(dir -> dirs.put(dir.getFileName().toString(), dir));
        }
        return dirs;
    }

    /** Runs kustomize on one kustomization; the output is also kept in target/k8s/NAME.yaml. */
    static Path render(String name, Path dir) throws Exception {
        Files.createDirectories(RENDERED);
        Path out = RENDERED.resolve(name + ".yaml");
        List<String> command = new ArrayList<>(kustomizeCommand());
        command.add(dir.toString());
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(RENDERED.resolve(name + ".err").toFile()).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("kustomize build of " + dir + " finished").isTrue();
        assertThat(process.exitValue()).as("kustomize build of " + dir + ": "
                + Files.readString(RENDERED.resolve(name + ".err"))).isZero();
        return out;
    }

    static List<String> kustomizeCommand() {
        if (onPath("kustomize")) {
            return List.of("kustomize", "build");
        }
        if (onPath("kubectl")) {
            return List.of("kubectl", "kustomize");
        }
        throw new IllegalStateException("neither kustomize nor kubectl is on PATH: the manifest checks need one "
                + "(kubectl 1.27+ or kustomize 5), or skip the integration tests with -DskipITs");
    }

    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }

    static List<JsonNode> read(Path rendered) throws IOException {
        List<JsonNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(rendered.toFile())) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                    objects.add(doc);
                }
            }
        }
        return objects;
    }

    static Optional<JsonNode> find(List<JsonNode> objects, String kind, String name) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind)
                && o.path("metadata").path("name").asText().equals(name)).findFirst();
    }

    static JsonNode get(List<JsonNode> objects, String kind, String name) {
        return find(objects, kind, name).orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    static List<JsonNode> ofKind(List<JsonNode> objects, String kind) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
    }

    /** The Deployments and StatefulSets. */
    static List<JsonNode> workloads(List<JsonNode> objects) {
        List<JsonNode> workloads = new ArrayList<>(ofKind(objects, "Deployment"));
        workloads.addAll(ofKind(objects, "StatefulSet"));
        return workloads;
    }

    /** The first container of a Deployment's or StatefulSet's pod template. */
    static JsonNode container(JsonNode workload) {
        return workload.path("spec").path("template").path("spec").path("containers").path(0);
    }

    /** The Secret the operator makes outside Git, and its key that holds Redis' password (docs/deployment.md). */
    static final String REDIS_SECRET = "conveyor-redis";
    static final String REDIS_SECRET_KEY = "password";

    /** The Secret the operator makes outside Git with the webhook signing secret (docs/webhooks.md), and its key. */
    static final String CALLBACKS_SECRET = "conveyor-callbacks";
    static final String CALLBACKS_SECRET_KEY = "secret";

    /** The optional Secret the operator makes outside Git with the SMTP server and sender of send_email jobs. */
    static final String SMTP_SECRET = "conveyor-smtp";

    /** The Secret the operator makes outside Git with the API's keys file, its key, and where the API reads it. */
    static final String API_KEYS_SECRET = "conveyor-api-keys";
    static final String API_KEYS_SECRET_KEY = "keys.json";
    static final String API_KEYS_VARIABLE = "CONVEYOR_AUTH_KEYS_FILE";

    /** A file that a container sees in a volume mounted from a Secret: the Secret, its key and the mount. */
    record SecretFile(String secret, String key, JsonNode mount) {
    }

    /** The Secret a volume mount of a workload's first container comes from, if it is a Secret volume. */
    static Optional<String> secretOf(JsonNode workload, JsonNode mount) {
        for (JsonNode volume : workload.path("spec").path("template").path("spec").path("volumes")) {
            if (volume.path("name").asText().equals(mount.path("name").asText()) && volume.has("secret")) {
                return Optional.of(volume.path("secret").path("secretName").asText());
            }
        }
        return Optional.empty();
    }

    /**
     * Which Secret and key the file at {@code path} comes from, when the workload's first container mounts a Secret as
     * the directory that holds it (a subPath mount puts a file at its mount path itself, so it does not count). The
     * volume lists no {@code items}: each key of the Secret is the file of that name.
     */
    static Optional<SecretFile> secretFile(JsonNode workload, String path) {
        for (JsonNode mount : container(workload).path("volumeMounts")) {
            String dir = mount.path("mountPath").asText();
            Optional<String> secret = secretOf(workload, mount);
            if (secret.isPresent() && path.startsWith(dir + "/")) {
                return Optional.of(new SecretFile(secret.get(), path.substring(dir.length() + 1), mount));
            }
        }
        return Optional.empty();
    }

    /**
     * The environment a container gets, as Kubernetes composes it: its envFrom ConfigMaps and Secrets (by their
     * generated names), then its env entries; a value from a Secret that is not in the manifests (made by the operator)
     * is {@code secrets.apply("<name>/<key>")}.
     */
    static Map<String, String> environment(List<JsonNode> objects, JsonNode container,
            Function<String, String> secrets) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode from : container.path("envFrom")) {
            if (from.has("configMapRef")) {
                get(objects, "ConfigMap", from.path("configMapRef").path("name").asText()).path("data").fields()
                        .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
            }
            if (from.has("secretRef")) {
                JsonNode secret = get(objects, "Secret", from.path("secretRef").path("name").asText());
                secret.path("data").fields().forEachRemaining(e -> env.put(e.getKey(),
                        new String(Base64.getDecoder().decode(e.getValue().asText()), StandardCharsets.UTF_8)));
                secret.path("stringData").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
            }
        }
        for (JsonNode variable : container.path("env")) {
            JsonNode secretRef = variable.path("valueFrom").path("secretKeyRef");
            if (secretRef.isObject()) {
                String value = secrets.apply(secretRef.path("name").asText() + "/" + secretRef.path("key").asText());
                // null: an optional Secret that is not there, which Kubernetes leaves the variable unset for
                if (value != null) {
                    env.put(variable.path("name").asText(), value);
                }
            } else {
                assertThat(variable.has("value")).as("env " + variable + " is a literal or from a Secret").isTrue();
                env.put(variable.path("name").asText(), variable.path("value").asText());
            }
        }
        return env;
    }

    /** As {@link #environment(List, JsonNode, Function)}, a value from a Secret shown as {@code <secret name/key>}. */
    static Map<String, String> environment(List<JsonNode> objects, JsonNode container) {
        return environment(objects, container, reference -> "<secret " + reference + ">");
    }

    /** The Secret reference ({@code <name>/<key>}) an env entry of a container takes its value from, if any. */
    static Optional<String> secretReference(JsonNode container, String variable) {
        for (JsonNode entry : container.path("env")) {
            JsonNode secretRef = entry.path("valueFrom").path("secretKeyRef");
            if (entry.path("name").asText().equals(variable) && secretRef.isObject()) {
                return Optional.of(secretRef.path("name").asText() + "/" + secretRef.path("key").asText());
            }
        }
        return Optional.empty();
    }

    /** A container port by name or number. */
    static int containerPort(JsonNode container, JsonNode port) {
        if (port.isInt()) {
            return port.asInt();
        }
        for (JsonNode declared : container.path("ports")) {
            if (declared.path("name").asText().equals(port.asText())) {
                return declared.path("containerPort").asInt();
            }
        }
        throw new AssertionError("container " + container.path("name") + " has no port named " + port);
    }

    /** The application's packaged defaults (src/main/resources/application.properties). */
    static Properties applicationProperties() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src", "main", "resources", "application.properties"))) {
            properties.load(in);
        }
        return properties;
    }

    /** A setting as the container sees it: its environment variable if the manifests set one, else the default. */
    static String setting(Map<String, String> env, String property) throws IOException {
        String variable = property.toUpperCase().replace('.', '_').replace('-', '_');
        return env.containsKey(variable) ? env.get(variable) : applicationProperties().getProperty(property);
    }

    static Duration duration(String text) {
        return DurationConverter.parseDuration(text);
    }

    /** A Kubernetes memory quantity in bytes: {@code 1Gi}, {@code 512Mi}, {@code 1G}, {@code 1500000}... */
    static long quantityBytes(String quantity) {
        Matcher m = Pattern.compile("(\\d+)(Ki|Mi|Gi|Ti|k|M|G|T)?").matcher(quantity);
        assertThat(m.matches()).as("memory quantity " + quantity).isTrue();
        return Long.parseLong(m.group(1)) * unit(m.group(2), Map.of("Ki", 1L << 10, "Mi", 1L << 20, "Gi", 1L << 30,
                "Ti", 1L << 40, "k", 1000L, "M", 1000_000L, "G", 1000_000_000L, "T", 1000_000_000_000L));
    }

    /** A memory size in Redis' notation in bytes: {@code 768mb} (MiB), {@code 1gb}, {@code 500m} (10^6), {@code 100}. */
    static long redisBytes(String size) {
        Matcher m = Pattern.compile("(\\d+)(kb|mb|gb|k|m|g)?").matcher(size.toLowerCase(Locale.ROOT));
        assertThat(m.matches()).as("Redis memory size " + size).isTrue();
        return Long.parseLong(m.group(1)) * unit(m.group(2), Map.of("kb", 1L << 10, "mb", 1L << 20, "gb", 1L << 30,
                "k", 1000L, "m", 1000_000L, "g", 1000_000_000L));
    }

    private static long unit(String suffix, Map<String, Long> units) {
        return suffix == null ? 1 : units.get(suffix);
    }

    /** The value after {@code option} among a container's args, if it has that option. */
    static Optional<String> argument(JsonNode container, String option) {
        JsonNode args = container.path("args");
        for (int i = 0; i + 1 < args.size(); i++) {
            if (args.get(i).asText().equals(option)) {
                return Optional.of(args.get(i + 1).asText());
            }
        }
        return Optional.empty();
    }
}
