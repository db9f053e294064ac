package dev.conveyor.http;

import static dev.conveyor.testing.Jobs.awaitFinished;
import static dev.conveyor.testing.Jobs.create;
import static dev.conveyor.testing.Jobs.post;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import dev.conveyor.testing.Jobs;
import dev.conveyor.testing.LoopbackAllowed;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * Secrets in {@code http} payloads: credential headers are redacted in every view of a job, and a header can name a
 * secret of the worker's configuration, which is sent but never stored or shown.
 */
@QuarkusTest
@TestProfile(LoopbackAllowed.class)
class HttpSecretsTest {

    static final Map<String, String> CREDENTIALS = Map.of("Authorization", "Bearer abc123", "X-Api-Key", "k3y",
            "Cookie", "session=c00kie", "x-session-token", "t0k3n");

    static HttpServer server;

    @BeforeAll
    static void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/auth", exchange -> {
            boolean ok = LoopbackAllowed.SECRET_VALUE.equals(exchange.getRequestHeaders().getFirst("authorization"));
            byte[] body = (ok ? "authorized" : "not authorized").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(ok ? 200 : 401, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
    }

    @Test
    void credentialHeadersAreRedactedInEveryView() {
        String queue = uniqueQueue("secrets");
        Map<String, Object> job = Map.of("type", "http", "queue", queue, "delay", "PT1H", "payload",
                Map.of("method", "GET", "url", "https://example.com/", "headers",
                        with(CREDENTIALS, "x-source", "conveyor")));

        JsonPath created = create(job).jsonPath();
        assertRedacted(created, "payload.headers");
        String id = created.getString("id");
        assertRedacted(Jobs.job(id), "payload.headers");
        assertRedacted(given().queryParam("queue", queue).queryParam("full", true).when().get("/jobs")
                .then().statusCode(200).extract().jsonPath(), "jobs[0].payload.headers");
        assertRedacted(post("/jobs/batch", Map.of("jobs", List.of(job))).then().statusCode(201).extract()
                .jsonPath(), "jobs[0].payload.headers");
    }

    @Test
    void aNamedSecretIsSentButNeverStored() {
        String id = Jobs.enqueue(Map.of("type", "http", "queue", uniqueQueue("secrets"), "payload",
                Map.of("method", "GET", "url", "http://127.0.0.1:" + server.getAddress().getPort() + "/auth",
                        "headers", Map.of("Authorization", Map.of("secret", "crm-token")))));

        JsonPath job = awaitFinished(id, "succeeded", Jobs.FIRST_PICKUP);

        assertThat(job.getString("result.body")).isEqualTo("authorized");
        assertThat(job.getMap("payload.headers.Authorization")).isEqualTo(Map.of("secret", "crm-token"));
        assertThat(job.prettify()).doesNotContain("crm-s3cr3t-value");
    }

    @Test
    void anUnknownSecretFailsTheJobAtOnceNamingIt() {
        String id = Jobs.enqueue(Map.of("type", "http", "queue", uniqueQueue("secrets"), "maxAttempts", 3,
                "payload", Map.of("method", "GET", "url", "http://127.0.0.1:" + server.getAddress().getPort() + "/auth",
                        "headers", Map.of("Authorization", Map.of("secret", "no-such-secret")))));

        JsonPath job = awaitFinished(id, "failed", Jobs.FIRST_PICKUP);

        assertThat(job.getInt("attempts")).isEqualTo(1);
        assertThat(job.getString("error")).contains("no-such-secret");
    }

    @Test
    void aSecretReferenceNeedsANonBlankName() {
        post("/jobs", Map.of("type", "http", "queue", uniqueQueue("secrets"), "delay", "PT1H",
                "payload", Map.of("method", "GET", "url", "https://example.com/",
                        "headers", Map.of("Authorization", Map.of("secret", " ")))))
                .then().statusCode(422).body("errors[0].field", equalTo("payload.headers.Authorization.secret"));
    }

    private static void assertRedacted(JsonPath json, String headersPath) {
        Map<String, Object> headers = json.getMap(headersPath);
        for (String name : CREDENTIALS.keySet()) {
            assertThat(headers.get(name)).as(name).isEqualTo("[redacted]");
        }
        assertThat(headers.get("x-source")).isEqualTo("conveyor");
        assertThat(json.prettify()).doesNotContain("abc123", "k3y", "c00kie", "t0k3n");
    }

    private static Map<String, String> with(Map<String, String> map, String name, String value) {
        Map<String, String> all = new java.util.HashMap<>(map);
        all.put(name, value);
        return all;
    }
}
