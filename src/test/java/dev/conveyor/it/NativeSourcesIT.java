package dev.conveyor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.conveyor.handler.JobHandler;

/**
 * Native readiness without GraalVM: reads what the sources-only native builds of both roles (the pom's
 * native-sources-api and native-sources-worker executions, in pre-integration-test) registered for the native image,
 * and checks it covers what the code reads by reflection or from the classpath:
 * <ul>
 * <li>every record of the api package (request bodies, views, problems), which Jackson reads and writes, in the API;
 * <li>the payload and result types of every job handler, which Jackson reads and writes outside any REST signature
 * (PayloadReader), in both roles: the API validates payloads, the worker runs them;
 * <li>the Lua scripts, loaded with getResourceAsStream, in both roles.
 * </ul>
 * That the builds succeeded at all means Quarkus' native build steps ran (build-time initialization, reflection, proxy
 * and resource registration). What only native-image itself finds (an unsupported JDK feature, a class initialized at
 * build time by mistake) is not checked here.
 */
class NativeSourcesIT {

    private static final Path TARGET = Path.of("target");
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void onlyWhenTheCheckRan() {
        Assumptions.assumeFalse(Boolean.getBoolean("skipNativeCheck"),
                "the native sources-only builds were skipped (-Dnative, a role profile, or -DskipNativeCheck)");
    }

    @Test
    void apiRegistersEveryJsonTypeAndTheScripts() throws Exception {
        Set<String> registered = reflection("api");
        List<String> expected = new ArrayList<>(apiRecords());
        expected.addAll(handlerTypes());
        assertThat(expected).contains("dev.conveyor.api.JobView$AttemptError", "dev.conveyor.api.Problem");
        assertThat(registered).containsAll(expected);
        assertScriptsIncluded("api");
    }

    @Test
    void workerRegistersHandlerTypesAndTheScripts() throws Exception {
        Set<String> registered = reflection("worker");
        List<String> expected = handlerTypes();
        assertThat(expected).contains("dev.conveyor.handler.builtin.SleepHandler$Payload");
        assertThat(registered).containsAll(expected);
        assertScriptsIncluded("worker");
    }

    /** Class names in reflect-config.json of the role's native-sources runner jar. */
    private static Set<String> reflection(String role) throws IOException {
        Set<String> names = new TreeSet<>();
        for (JsonNode entry : config(role, "reflect-config.json")) {
            names.add(entry.path("name").asText());
        }
        return names;
    }

    private static JsonNode config(String role, String file) throws IOException {
        Path jar = TARGET.resolve("native-check").resolve(role).resolve("native-sources")
                .resolve("conveyor-" + role + "-runner.jar");
        assertThat(jar).as("native sources of role " + role + " (run ./mvnw verify)").exists();
        try (ZipFile zip = new ZipFile(jar.toFile());
                InputStream in = zip.getInputStream(zip.getEntry("META-INF/native-image/" + file))) {
            return JSON.readTree(in);
        }
    }

    private static void assertScriptsIncluded(String role) throws IOException {
        List<Pattern> includes = new ArrayList<>();
        for (JsonNode include : config(role, "resource-config.json").path("resources").path("includes")) {
            includes.add(Pattern.compile(include.path("pattern").asText()));
        }
        List<String> scripts;
        Path classes = TARGET.resolve("classes");
        try (Stream<Path> files = Files.walk(classes.resolve("lua"))) {
            // includes too: the loader reads them at run time to assemble the scripts
            scripts = files.filter(Files::isRegularFile).map(p -> classes.relativize(p).toString().replace('\\', '/'))
                    .toList();
        }
        assertThat(scripts).isNotEmpty();
        for (String script : scripts) {
            assertThat(includes).as(script + " is in the " + role + " image").anyMatch(p -> p.matcher(script).matches());
        }
    }

    /** The public records of dev.conveyor.api: the JSON bodies. */
    private static List<String> apiRecords() throws Exception {
        List<String> records = new ArrayList<>();
        for (Class<?> type : CompiledClasses.under("dev/conveyor/api")) {
            // the API's JSON types are its public records; a private one is the API's own bookkeeping
            if (type.isRecord() && java.lang.reflect.Modifier.isPublic(type.getModifiers())) {
                records.add(type.getName());
            }
        }
        return records;
    }

    /** The payload and result types of every handler, except Jackson's own tree types (echo's ObjectNode). */
    private static List<String> handlerTypes() throws Exception {
        List<String> types = new ArrayList<>();
        for (Class<?> type : CompiledClasses.under("dev/conveyor")) {
            if (!JobHandler.class.isAssignableFrom(type) || type.isInterface()) {
                continue;
            }
            for (Type implemented : type.getGenericInterfaces()) {
                if (implemented instanceof ParameterizedType p && p.getRawType() == JobHandler.class) {
                    for (Type argument : p.getActualTypeArguments()) {
                        if (argument instanceof Class<?> c && !JsonNode.class.isAssignableFrom(c)) {
                            types.add(c.getName());
                        }
                    }
                }
            }
        }
        assertThat(types).isNotEmpty();
        return types;
    }
}
