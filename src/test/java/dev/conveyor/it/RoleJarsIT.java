package dev.conveyor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import dev.conveyor.role.ApiRole;
import dev.conveyor.role.WorkerRole;

/**
 * Each role's jar (target/api and target/worker, written by ./mvnw package) holds its own beans and none of the other
 * role's: the beans ArC generated are the {@code *_Bean} classes of quarkus/generated-bytecode.jar, and every REST
 * endpoint has a generated {@code $quarkusrestinvoker$} class there.
 */
class RoleJarsIT {

    /** A generated bean class: the class of the bean, or of its producer method or field. */
    private static final Pattern BEAN =
            Pattern.compile("(dev/conveyor/[^$]+?)(_ProducerMethod_.*|_ProducerField_.*)?_Bean\\.class");
    private static final String REST_ENDPOINT = "$quarkusrestinvoker$";

    @Test
    void theApiJarHoldsTheApiBeansAndNoWorkerBean() throws Exception {
        Set<String> beans = beans(generated("api"));

        assertThat(beans).containsAll(marked(ApiRole.class));
        assertThat(beans).as("worker beans in the api jar").doesNotContainAnyElementsOf(marked(WorkerRole.class));
        assertThat(beans).as("beans of the worker package in the api jar")
                .noneMatch(bean -> bean.startsWith("dev.conveyor.worker."));
    }

    @Test
    void theWorkerJarHoldsTheWorkerBeansAndNoApiResource() throws Exception {
        List<String> generated = generated("worker");
        Set<String> beans = beans(generated);

        assertThat(beans).containsAll(marked(WorkerRole.class));
        assertThat(beans).as("API beans in the worker jar").doesNotContainAnyElementsOf(marked(ApiRole.class));
        assertThat(beans).as("REST resources in the worker jar").doesNotContainAnyElementsOf(resources());
        assertThat(generated).as("REST endpoints in the worker jar").noneMatch(entry -> entry.contains(REST_ENDPOINT));
    }

    @Test
    void theApiJarServesEveryResource() throws Exception {
        List<String> generated = generated("api");

        assertThat(beans(generated)).containsAll(resources());
        assertThat(generated).anyMatch(entry -> entry.startsWith("dev/conveyor/api/JobResource" + REST_ENDPOINT));
    }

    /** The entries of the role's quarkus/generated-bytecode.jar; the test is skipped for native builds. */
    private static List<String> generated(String role) throws IOException {
        Path dir = Path.of("target", role);
        Properties artifact = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve("quarkus-artifact.properties"))) {
            artifact.load(in);
        }
        Assumptions.assumeTrue(artifact.getProperty("type").equals("jar"), "role " + role + " was built native");
        Path jar = dir.resolve("quarkus-app").resolve("quarkus").resolve("generated-bytecode.jar");
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.stream().map(ZipEntry::getName).toList();
        }
    }

    /** The classes a role jar has beans of, by class name. */
    private static Set<String> beans(List<String> generated) {
        Set<String> beans = new TreeSet<>();
        for (String entry : generated) {
            Matcher bean = BEAN.matcher(entry);
            if (bean.matches()) {
                beans.add(bean.group(1).replace('/', '.'));
            }
        }
        assertThat(beans).as("beans in generated-bytecode.jar").isNotEmpty();
        return beans;
    }

    private static List<String> marked(Class<? extends Annotation> role) throws Exception {
        return classes(type -> type.isAnnotationPresent(role), "classes marked @" + role.getSimpleName());
    }

    private static List<String> resources() throws Exception {
        return classes(type -> type.isAnnotationPresent(jakarta.ws.rs.Path.class), "REST resources");
    }

    private static List<String> classes(Predicate<Class<?>> filter, String what) throws Exception {
        List<String> names = CompiledClasses.under("dev/conveyor").stream().filter(filter).map(Class::getName).toList();
        assertThat(names).as(what).isNotEmpty();
        return names;
    }
}
