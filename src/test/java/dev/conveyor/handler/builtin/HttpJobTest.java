package dev.conveyor.handler.builtin;

import static dev.conveyor.testing.Jobs.run;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.conveyor.testing.LoopbackAllowed;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * {@code http} through the real worker, against a small JDK HTTP server on a free loopback port: 2xx succeeds with
 * status and body, 4xx fails at once, 5xx and network errors are retried, long bodies are truncated. Errors name the
 * URL without its user info and query.
 */
@QuarkusTest
@TestProfile(LoopbackAllowed.class)
class HttpJobTest {

    static final int LIMIT = 64 * 1024;

    static HttpServer server;
    static ExecutorService executor;
    static String base;
    static final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

    String queue;

    @BeforeAll
    static void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor = Executors.newFixedThreadPool(4);
        server.setExecutor(executor);
        server.createContext("/hello", exchange -> respond(exchange, 200, "hello from the test server"));
        server.createContext("/created", exchange -> respond(exchange, 201, "made"));
        server.createContext("/echo", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            respond(exchange, 200, exchange.getRequestMethod() + "|"
                    + exchange.getRequestHeaders().getFirst("content-type") + "|"
                    + exchange.getRequestHeaders().getFirst("x-source") + "|" + body);
        });
        server.createContext("/missing", exchange -> respond(exchange, 404, "no such thing"));
        server.createContext("/unavailable", exchange -> respond(exchange, 503, "try later"));
        server.createContext("/exactly-64k", exchange -> respond(exchange, 200, text(LIMIT)));
        server.createContext("/big", exchange -> respond(exchange, 200, text(LIMIT + 5000)));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
        executor.shutdownNow();
    }

    @BeforeEach
    void setUp() {
        queue = uniqueQueue("http");
    }

    @Test
    void a2xxAnswerSucceedsWithStatusAndBody() {
        JsonPath job = run(job("GET", base + "/hello?run=" + queue, 3), "succeeded");

        assertThat(job.getInt("result.status")).isEqualTo(200);
        assertThat(job.getString("result.body")).isEqualTo("hello from the test server");
        assertThat(job.getBoolean("result.truncated")).isFalse();
        assertThat(job.getInt("attempts")).isEqualTo(1);
        assertThat(hitsOf("/hello")).isEqualTo(1);
    }

    @Test
    void anyStatusFrom200To299Succeeds() {
        JsonPath job = run(job("PUT", base + "/created", 3), "succeeded");

        assertThat(job.getInt("result.status")).isEqualTo(201);
        assertThat(job.getString("result.body")).isEqualTo("made");
    }

    @Test
    void methodHeadersAndJsonBodyAreSent() {
        JsonPath job = run("""
                {"type": "http", "queue": "%s", "payload": {"method": "POST", "url": "%s/echo",
                 "headers": {"x-source": "conveyor"}, "body": {"event": "signup"}}}
                """.formatted(queue, base), "succeeded");

        assertThat(job.getString("result.body")).isEqualTo("POST|application/json|conveyor|{\"event\":\"signup\"}");
    }

    @Test
    void a404FailsAtOnceWithoutRetrying() {
        int before = hitsOf("/missing");
        JsonPath job = run(job("GET", base + "/missing", 3), "failed");

        assertThat(job.getInt("attempts")).isEqualTo(1);
        assertThat(job.getString("error")).isEqualTo("HTTP 404 Not Found");
        assertThat(job.getString("result")).isNull();
        assertThat(hitsOf("/missing")).isEqualTo(before + 1);
    }

    @Test
    void a503IsRetriedUntilMaxAttemptsThenFails() {
        int before = hitsOf("/unavailable");
        JsonPath job = run(job("GET", base + "/unavailable", 3), "failed");

        assertThat(job.getInt("attempts")).isEqualTo(3);
        assertThat(job.getString("error")).isEqualTo("HTTP 503 Service Unavailable");
        assertThat(hitsOf("/unavailable")).isEqualTo(before + 3);
    }

    @Test
    void aRefusedConnectionIsRetried() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        JsonPath job = run(job("GET", "http://user:pa55@127.0.0.1:" + port + "/nobody-listens?token=t0k3n", 2),
                "failed");

        assertThat(job.getInt("attempts")).isEqualTo(2);
        assertThat(job.getString("error")).containsIgnoringCase("refused")
                .contains("http://127.0.0.1:" + port + "/nobody-listens")
                .doesNotContain("pa55").doesNotContain("user").doesNotContain("t0k3n");
    }

    @Test
    void aBodyOfExactly64KiBIsKeptWhole() {
        JsonPath job = run(job("GET", base + "/exactly-64k", 1), "succeeded");

        assertThat(job.getBoolean("result.truncated")).isFalse();
        assertThat(job.getString("result.body")).isEqualTo(text(LIMIT));
    }

    @Test
    void aBodyLongerThan64KiBIsTruncated() {
        JsonPath job = run(job("GET", base + "/big", 1), "succeeded");

        assertThat(job.getInt("result.status")).isEqualTo(200);
        assertThat(job.getBoolean("result.truncated")).isTrue();
        String body = job.getString("result.body");
        assertThat(body.length()).isEqualTo(LIMIT);
        assertThat(body).isEqualTo(text(LIMIT + 5000).substring(0, LIMIT));
    }

    private String job(String method, String url, int maxAttempts) {
        return """
                {"type": "http", "queue": "%s", "maxAttempts": %d, "payload": {"method": "%s", "url": "%s"}}
                """.formatted(queue, maxAttempts, method, url);
    }

    private static int hitsOf(String path) {
        return hits.computeIfAbsent(path, p -> new AtomicInteger()).get();
    }

    /** ASCII text of the given length that is not one repeated character (so truncation is visible). */
    private static String text(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; text.length() < length; i++) {
            text.append(i % 10 == 9 ? '\n' : (char) ('a' + i % 26));
        }
        return text.toString();
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        hits.computeIfAbsent(exchange.getHttpContext().getPath(), p -> new AtomicInteger()).incrementAndGet();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("content-type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
