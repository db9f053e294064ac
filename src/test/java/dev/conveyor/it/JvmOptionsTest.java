package dev.conveyor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JVM options shipped in src/main/jvm/ start a JVM, and keep Netty's buffer checks on: the worker parses HTTP
 * responses from servers it does not control (the http job type), not only Redis' answers. The test reads the system
 * properties of a JVM started with each file ({@code -XshowSettings:properties}), so it sees what the file really sets.
 */
class JvmOptionsTest {

    @ParameterizedTest
    @ValueSource(strings = { "api", "worker" })
    void theOptionsStartAJvmWithNettysBufferChecksOn(String role) throws IOException, InterruptedException {
        Path options = Path.of("src", "main", "jvm", role + ".options");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "@" + options, "-XshowSettings:properties", "-version")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).as(role + ".options").contains("java.home")
                .doesNotContainPattern("io\\.netty\\.buffer\\.checkAccessible\\s*=\\s*false")
                .doesNotContainPattern("io\\.netty\\.buffer\\.checkBounds\\s*=\\s*false");
    }
}
