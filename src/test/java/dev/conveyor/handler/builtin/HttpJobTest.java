package dev.conveyor.handler.builtin;

import static dev.conveyor.testing.WorkerJobs.FIRST_PICKUP;
import static dev.conveyor.testing.WorkerJobs.awaitFinished;
import static dev.conveyor.testing.WorkerJobs.enqueue;
import static dev.conveyor.testing.WorkerJobs.uniqueQueue;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * {@code http} through the real worker, against a small JDK HTTP server on a free loopback port: 2xx succeeds with
 * status and body, 4xx fails at once, 5xx and network errors are retried, long bodies are truncated.
 */
@QuarkusTest
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
        String id = enqueue(job("GET", base + "/hello?run=" + queue, 3));

        JsonPath job = awaitFinished(id, "succeeded", FIRST_PICKUP);

        assertEquals(200, job.getInt("result.status"));
        assertEquals("hello from the test server", job.getString("result.body"));
        assertFalse(job.getBoolean("result.truncated"));
        assertEquals(1, job.getInt("attempts"));
        assertEquals(1, hitsOf("/hello"));
    }

    @Test
    void anyStatusFrom200To299Succeeds() {
        String id = enqueue(job("PUT", base + "/created", 3));

        JsonPath job = awaitFinished(id, "succeeded", FIRST_PICKUP);

        assertEquals(201, job.getInt("result.status"));
        assertEquals("made", job.getString("result.body"));
    }

    @Test
    void methodHeadersAndJsonBodyAreSent() {
        String id = enqueue("""
                {"type": "http", "queue": "%s", "payload": {"method": "POST", "url": "%s/echo",
                 "headers": {"x-source": "conveyor"}, "body": {"event": "signup"}}}
                """.formatted(queue, base));

        JsonPath job = awaitFinished(id, "succeeded", FIRST_PICKUP);

        assertEquals("POST|application/json|conveyor|{\"event\":\"signup\"}", job.getString("result.body"));
    }

    @Test
    void a404FailsAtOnceWithoutRetrying() {
        int before = hitsOf("/missing");
        String id = enqueue(job("GET", base + "/missing", 3));

        JsonPath job = awaitFinished(id, "failed", FIRST_PICKUP);

        assertEquals(1, job.getInt("attempts"));
        assertEquals("HTTP 404 Not Found", job.getString("error"));
        assertNull(job.get("result"));
        assertEquals(before + 1, hitsOf("/missing"));
    }

    @Test
    void a503IsRetriedUntilMaxAttemptsThenFails() {
        int before = hitsOf("/unavailable");
        String id = enqueue(job("GET", base + "/unavailable", 3));

        JsonPath job = awaitFinished(id, "failed", FIRST_PICKUP);

        assertEquals(3, job.getInt("attempts"));
        assertEquals("HTTP 503 Service Unavailable", job.getString("error"));
        assertEquals(before + 3, hitsOf("/unavailable"));
    }

    @Test
    void aRefusedConnectionIsRetried() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String id = enqueue(job("GET", "http://127.0.0.1:" + port + "/nobody-listens", 2));

        JsonPath job = awaitFinished(id, "failed", FIRST_PICKUP);

        assertEquals(2, job.getInt("attempts"));
        assertNotNull(job.getString("error"));
        assertThat(job.getString("error"), containsStringIgnoringCase("refused"));
    }

    @Test
    void aBodyOfExactly64KiBIsKeptWhole() {
        String id = enqueue(job("GET", base + "/exactly-64k", 1));

        JsonPath job = awaitFinished(id, "succeeded", FIRST_PICKUP);

        assertFalse(job.getBoolean("result.truncated"));
        assertEquals(text(LIMIT), job.getString("result.body"));
    }

    @Test
    void aBodyLongerThan64KiBIsTruncated() {
        String id = enqueue(job("GET", base + "/big", 1));

        JsonPath job = awaitFinished(id, "succeeded", FIRST_PICKUP);

        assertEquals(200, job.getInt("result.status"));
        assertTrue(job.getBoolean("result.truncated"));
        String body = job.getString("result.body");
        assertEquals(LIMIT, body.length());
        assertEquals(text(LIMIT + 5000).substring(0, LIMIT), body);
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
