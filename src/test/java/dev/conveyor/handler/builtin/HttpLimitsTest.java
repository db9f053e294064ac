package dev.conveyor.handler.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.conveyor.handler.JobContext;
import dev.conveyor.handler.PermanentJobFailure;
import dev.conveyor.http.TestHttpConfig;
import dev.conveyor.testing.WitnessServer;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;

/**
 * The {@code http} handler against local Vert.x servers that misbehave: an endless body is cut at
 * {@code conveyor.http.max-response-size} and its connection closed, a server that trickles a byte at a time is cut
 * at the deadline, a cancelled attempt closes its connection, and redirects are not followed unless allowed, each
 * hop checked again. Only 127.0.0.1 is allowed here; the {@code [::1]} witness stands for a blocked destination.
 */
class HttpLimitsTest {

    static final int CHUNK = 64 * 1024;

    static Vertx vertx;
    static HttpServer server;
    static String base;
    static WitnessServer blocked;
    static final AtomicLong endlessBytes = new AtomicLong();
    static final AtomicInteger openedConnections = new AtomicInteger();
    static final AtomicInteger closedConnections = new AtomicInteger();
    static final AtomicInteger held = new AtomicInteger();
    static final AtomicInteger helloHits = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        blocked = WitnessServer.start(java.net.InetAddress.getByName("::1"));
        server = vertx.createHttpServer()
                .connectionHandler(connection -> {
                    openedConnections.incrementAndGet();
                    connection.closeHandler(v -> closedConnections.incrementAndGet());
                })
                .requestHandler(request -> {
                    HttpServerResponse response = request.response();
                    switch (request.path()) {
                        case "/hello" -> {
                            helloHits.incrementAndGet();
                            response.end("hello");
                        }
                        case "/endless" -> {
                            response.setChunked(true);
                            writeForever(response);
                        }
                        case "/trickle" -> {
                            response.setChunked(true).write("x");
                            long timer = vertx.setPeriodic(500, id -> response.write("x"));
                            response.closeHandler(v -> vertx.cancelTimer(timer));
                        }
                        case "/hold" -> held.incrementAndGet();
                        case "/redirect-local" -> response.setStatusCode(302).putHeader("location", "/hello").end();
                        case "/redirect-loopback6" -> response.setStatusCode(302)
                                .putHeader("location", "http://[::1]:" + blocked.port() + "/").end();
                        case "/redirect-metadata" -> response.setStatusCode(307)
                                .putHeader("location", "http://169.254.169.254/latest/meta-data/").end();
                        case "/odd-reason" -> response.setStatusCode(400)
                                .setStatusMessage("Oops\u001b[31m\u0007 bad").end();
                        case "/loop" -> response.setStatusCode(302).putHeader("location", "/loop").end();
                        default -> response.setStatusCode(404).end();
                    }
                })
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        base = "http://127.0.0.1:" + server.actualPort();
    }

    @AfterAll
    static void stop() throws Exception {
        blocked.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static void writeForever(HttpServerResponse response) {
        Buffer chunk = Buffer.buffer(new byte[CHUNK]);
        while (!response.writeQueueFull() && !response.closed()) {
            endlessBytes.addAndGet(CHUNK);
            response.write(chunk);
        }
        if (!response.closed()) {
            response.drainHandler(v -> writeForever(response));
        }
    }

    @Test
    void anEndlessBodyIsCutAtTheCapAndItsConnectionClosed() {
        int closedBefore = closedConnections.get();

        HttpHandler.Result result = run(handler(false), "GET", base + "/endless", "PT20S", Duration.ofSeconds(10));

        assertThat(result.status()).isEqualTo(200);
        assertThat(result.truncated()).isTrue();
        assertThat(result.body()).hasSize(CHUNK);
        await().atMost(Duration.ofSeconds(5)).until(() -> closedConnections.get() > closedBefore);
        assertThat(endlessBytes.get()).as("bytes the server could write before the close").isLessThan(64L << 20);
    }

    @Test
    void aTricklingServerIsCutAtTheDeadlineAndItsConnectionClosed() {
        int closedBefore = closedConnections.get();
        Instant start = Instant.now();

        Throwable failure = failure(handler(false), "GET", base + "/trickle", "PT2S", Duration.ofSeconds(8));

        assertThat(Duration.between(start, Instant.now())).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(5));
        assertThat(failure).isNotInstanceOf(PermanentJobFailure.class).hasMessageContaining("PT2S");
        await().atMost(Duration.ofSeconds(3)).until(() -> closedConnections.get() > closedBefore);
    }

    @Test
    void aCancelledAttemptClosesItsConnection() {
        int closedBefore = closedConnections.get();
        int heldBefore = held.get();
        Cancellable attempt = handle(handler(false), "GET", base + "/hold", "PT60S").subscribe()
                .with(r -> { }, f -> { });
        await().atMost(Duration.ofSeconds(5)).until(() -> held.get() > heldBefore);

        attempt.cancel();

        await().atMost(Duration.ofSeconds(3)).until(() -> closedConnections.get() > closedBefore);
    }

    @Test
    void aRedirectIsNotFollowedByDefault() {
        int before = helloHits.get();

        Throwable failure = failure(handler(false), "GET", base + "/redirect-local", "PT5S", Duration.ofSeconds(5));

        assertThat(failure).isInstanceOf(PermanentJobFailure.class).hasMessage("HTTP 302 Found");
        assertThat(helloHits.get()).isEqualTo(before);
    }

    @Test
    void aFollowedRedirectIsCheckedAgainAndTheBlockedTargetSeesNothing() {
        Throwable failure = failure(handler(true), "GET", base + "/redirect-loopback6", "PT5S", Duration.ofSeconds(5));

        assertThat(failure).isInstanceOf(PermanentJobFailure.class).hasMessageContaining("destination not allowed");
        assertThat(blocked.connections()).isZero();
    }

    @Test
    void aFollowedRedirectToTheMetadataAddressIsRefusedBeforeAnyConnection() {
        Throwable failure = failure(handler(true), "GET", base + "/redirect-metadata", "PT5S", Duration.ofSeconds(5));

        assertThat(failure).isInstanceOf(PermanentJobFailure.class)
                .hasMessageContaining("destination not allowed").hasMessageContaining("169.254.169.254");
    }

    @Test
    void aFollowedRedirectWithinTheAllowedNetworksSucceeds() {
        HttpHandler.Result result = run(handler(true), "GET", base + "/redirect-local", "PT5S", Duration.ofSeconds(5));

        assertThat(result.status()).isEqualTo(200);
        assertThat(result.body()).isEqualTo("hello");
    }

    @Test
    void aRedirectLoopStopsAfterTheLastAllowedHop() {
        Throwable failure = failure(handler(true), "GET", base + "/loop", "PT5S", Duration.ofSeconds(5));

        assertThat(failure).isInstanceOf(PermanentJobFailure.class).hasMessageContaining("redirect");
    }

    @Test
    void aCompleteAnswerLeavesItsConnectionOpenForTheNextRequest() {
        HttpHandler handler = handler(false);
        run(handler, "GET", base + "/hello", "PT5S", Duration.ofSeconds(5));
        int opened = openedConnections.get();

        run(handler, "GET", base + "/hello", "PT5S", Duration.ofSeconds(5));

        assertThat(openedConnections.get()).isEqualTo(opened);
    }

    @Test
    void aStoredUrlThatIsNoLongerValidFailsForGood() {
        Throwable failure = failure(handler(false), "GET", "ftp://127.0.0.1/file", "PT5S", Duration.ofSeconds(5));

        assertThat(failure).isInstanceOf(PermanentJobFailure.class).hasMessageContaining("absolute http");
    }

    @Test
    void aRemoteReasonPhraseLosesItsControlCharacters() {
        Throwable failure = failure(handler(false), "GET", base + "/odd-reason", "PT5S", Duration.ofSeconds(5));

        assertThat(failure).isInstanceOf(PermanentJobFailure.class).hasMessageStartingWith("HTTP 400 Oops");
        assertThat(failure.getMessage()).doesNotContainPattern("\\p{Cntrl}");
    }

    private static HttpHandler handler(boolean followRedirects) {
        return HttpHandler.create(vertx, new TestHttpConfig(List.of("127.0.0.1/32"), followRedirects, 3, 1 << 20,
                Map.of()));
    }

    private static Uni<HttpHandler.Result> handle(HttpHandler handler, String method, String url, String timeout) {
        HttpHandler.Payload payload = new ObjectMapper().findAndRegisterModules().convertValue(
                Map.of("method", method, "url", url, "timeout", timeout), HttpHandler.Payload.class);
        return handler.handle(payload, new JobContext("t.1", "t", 1, 1, Instant.now().plusSeconds(60)));
    }

    private static HttpHandler.Result run(HttpHandler handler, String method, String url, String timeout,
            Duration max) {
        return handle(handler, method, url, timeout).await().atMost(max);
    }

    private static Throwable failure(HttpHandler handler, String method, String url, String timeout, Duration max) {
        try {
            HttpHandler.Result result = run(handler, method, url, timeout, max);
            throw new AssertionError("expected a failure, got " + result);
        } catch (AssertionError e) {
            throw e;
        } catch (RuntimeException e) {
            return e;
        }
    }
}
