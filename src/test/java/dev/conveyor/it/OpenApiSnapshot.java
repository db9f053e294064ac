package dev.conveyor.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.conveyor.devservices.LocalRedis;

/**
 * Writes the OpenAPI document as the packaged application serves it, for the client generated from it (see the pom's
 * openapi-generator execution and GeneratedClientIT). The document as built is not enough: job types and their
 * examples are added when the application starts ({@code OpenApiCompletion}). The application needs no Redis for it:
 * it is pointed at a loopback port where nothing listens.
 * <p>
 * Arguments: the application jar, the document file to write.
 */
public final class OpenApiSnapshot {

    private static final Duration START = Duration.ofSeconds(120);

    private OpenApiSnapshot() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        Path document = Path.of(args[1]);
        Files.createDirectories(document.toAbsolutePath().getParent());
        Path log = document.resolveSibling("snapshot.log");
        int httpPort = LocalRedis.freePort();
        String noRedis = "redis://127.0.0.1:" + LocalRedis.freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar",
                jar.toAbsolutePath().toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(Map.of(
                "QUARKUS_HTTP_PORT", Integer.toString(httpPort),
                "QUARKUS_MANAGEMENT_PORT", Integer.toString(LocalRedis.freePort()),
                "QUARKUS_REDIS_HOSTS", noRedis,
                "QUARKUS_REDIS_BLOCKING_HOSTS", noRedis,
                "CONVEYOR_AUTH_ENABLED", "false"));
        Process app = builder.start();
        try {
            Files.writeString(document, fetch(app, URI.create("http://127.0.0.1:" + httpPort
                    + "/q/openapi?format=json"), log));
        } finally {
            app.destroy();
            if (!app.waitFor(15, TimeUnit.SECONDS)) {
                app.destroyForcibly();
            }
        }
    }

    /** The document, once the application answers; fails when it exits or does not answer in time. */
    private static String fetch(Process app, URI uri, Path log) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build();
        long deadline = System.nanoTime() + START.toNanos();
        while (System.nanoTime() < deadline) {
            if (!app.isAlive()) {
                throw new IllegalStateException("the application exited with " + app.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return response.body();
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            // polling a starting process: nothing to wait on but its port
            app.waitFor(200, TimeUnit.MILLISECONDS);
        }
        throw new IllegalStateException(uri + " did not answer within " + START + "; see " + log);
    }
}
