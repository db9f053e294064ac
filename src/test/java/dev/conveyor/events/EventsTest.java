package dev.conveyor.events;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.conveyor.testing.Jobs;
import dev.conveyor.testing.RedisNodes;
import dev.conveyor.testing.SseClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;

/** Job changes through a real SSE client, resuming with Last-Event-ID, heartbeats, stream limits, and result waits. */
@QuarkusTest
@TestProfile(EventsTest.Profile.class)
class EventsTest {

    /** Short heartbeats and small limits, so that the tests see them quickly. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("conveyor.events.heartbeat", "0.2s", "conveyor.events.max-streams", "4",
                    "conveyor.events.client-buffer", "16");
        }
    }

    private static final Duration LONG = Duration.ofSeconds(30);

    private static String url(String path) {
        return "http://localhost:" + RestAssured.port + path;
    }

    @Test
    void aJobStreamShowsEveryChangeInOrderThroughARetryAndEnds() {
        String id = Jobs.enqueue(Map.of("type", "sleep", "delay", "PT1S", "payload", Map.of("ms", 50, "failTimes", 1),
                "backoff", Map.of("initialDelay", "PT0.2S", "maxDelay", "PT0.2S")));
        try (SseClient stream = SseClient.open(url("/jobs/" + id + "/events"), null, null)) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.contentType()).startsWith("text/event-stream");
            // the sleep job's progress reports are running events of their own, checked by JobProgressTest
            List<SseClient.Event> events = stream.toEnd(LONG).stream()
                    .filter(event -> event.json().get("progress") == null).toList();
            List<String> seen = new ArrayList<>();
            for (SseClient.Event event : events) {
                assertThat(event.name()).isEqualTo("job");
                assertThat(event.json().getString("id")).isEqualTo(id);
                Integer attempt = event.json().get("attempt");
                seen.add(event.json().getString("status") + (attempt == null ? "" : "/" + attempt));
            }
            // first the job as it is (scheduled), then each change once, in order, ending after the final state
            assertThat(seen).containsExactly("scheduled/0", "queued", "running/1", "retrying/1", "queued",
                    "running/2", "succeeded");
            assertThat(events.get(3).json().getString("error")).contains("failing attempt 1");
            assertThat(stream.ended()).isTrue();
        }
    }

    @Test
    void aClientThatReconnectsWithLastEventIdGetsExactlyWhatItMissed() {
        String queue = Jobs.uniqueQueue("ev");
        List<SseClient.Event> first;
        try (SseClient stream = SseClient.open(url("/events?queue=" + queue), null, null)) {
            assertThat(stream.status()).isEqualTo(200);
            for (int i = 0; i < 3; i++) {
                Jobs.enqueue(Map.of("type", "echo", "queue", queue, "payload", Map.of("n", i)));
            }
            first = stream.until(new SucceededCount(3), Duration.ofSeconds(40));
        }
        assertThat(first).hasSize(9);
        // as if the connection broke after the fourth event
        String lastSeen = first.get(3).id();
        try (SseClient resumed = SseClient.open(url("/events?queue=" + queue), lastSeen, null)) {
            List<SseClient.Event> missed = resumed.until(event -> event.id().equals(first.get(8).id()), LONG);
            assertThat(missed).containsExactlyElementsOf(first.subList(4, 9));
            String next = Jobs.enqueue(Map.of("type", "echo", "queue", queue, "payload", Map.of("n", 9)));
            List<SseClient.Event> live = resumed.until(event -> event.data().contains("\"succeeded\""), LONG);
            assertThat(live).extracting(event -> event.json().getString("id")).containsOnly(next);
            assertThat(live).extracting(event -> event.json().getString("status"))
                    .containsExactly("queued", "running", "succeeded");
        }
    }

    @Test
    void aClientResumingFromBeyondTheWindowIsToldItMissedEvents() {
        String queue = Jobs.uniqueQueue("gap");
        try (SseClient stream = SseClient.open(url("/events?queue=" + queue), queue + ":1-0", null)) {
            SseClient.Event gap = stream.next(LONG);
            assertThat(gap).isNotNull();
            assertThat(gap.name()).isEqualTo("gap");
            assertThat(gap.json().getString("queue")).isEqualTo(queue);
        }
    }

    @Test
    void idleStreamsGetHeartbeatComments() {
        String queue = Jobs.uniqueQueue("hb");
        try (SseClient stream = SseClient.open(url("/events?queue=" + queue), null, null)) {
            Jobs.eventually().until(() -> stream.comments() >= 3);
        }
    }

    @Test
    void badRequestsGetProblemsNotStreams() {
        given().header("Last-Event-ID", "nonsense").when().get("/events?queue=a").then().statusCode(422)
                .contentType("application/problem+json");
        given().when().get("/events?queue=Not_A_Queue").then().statusCode(422);
        given().when().get("/jobs/default.01JDQ8Z6V3M4T2K9N7P5R1S0XA/events").then().statusCode(404)
                .contentType("application/problem+json");
        given().when().get("/jobs/default.01JDQ8Z6V3M4T2K9N7P5R1S0XA/result?wait=soon").then().statusCode(422);
    }

    @Test
    void streamsBeyondTheLimitGet503() {
        String queue = Jobs.uniqueQueue("max");
        List<SseClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                open.add(SseClient.open(url("/events?queue=" + queue), null, null));
                assertThat(open.get(i).status()).isEqualTo(200);
            }
            given().when().get("/events?queue=" + queue).then().statusCode(503).header("Retry-After", "1")
                    .contentType("application/problem+json");
        } finally {
            open.forEach(SseClient::close);
        }
        // closed streams free their places
        Jobs.eventually().untilAsserted(() -> {
            try (SseClient again = SseClient.open(url("/events?queue=" + queue), null, null)) {
                assertThat(again.status()).isEqualTo(200);
            }
        });
    }

    @Inject
    EventStreams streams;

    @Test
    void aClientSlowerThanItsEventsIsDroppedNotBufferedWithoutBound() {
        String queue = Jobs.uniqueQueue("slow");
        AssertSubscriber<EventStreams.Delivery> slow = streams.open(Set.of(queue), event -> true, event -> false,
                live -> Uni.createFrom().item(new EventStreams.Start(Map.of(), List.of())))
                .subscribe().withSubscriber(AssertSubscriber.create(0));
        List<Map<String, Object>> jobs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            jobs.add(Map.of("type", "echo", "queue", queue, "delay", "PT1H", "payload", Map.of("n", i)));
        }
        // the stream reads its queue only once it listens: send until the client has been dropped
        Jobs.eventually().until(() -> {
            Jobs.post("/jobs/batch", Map.of("jobs", jobs)).then().statusCode(201);
            return slow.isCancelled() || !slow.getItems().isEmpty() || isCompleted(slow);
        });
        assertThat(isCompleted(slow)).as("the stream ended").isTrue();
        assertThat(slow.getItems()).as("nothing was sent: the client asked for nothing").isEmpty();
    }

    private static boolean isCompleted(AssertSubscriber<?> subscriber) {
        try {
            subscriber.assertCompleted();
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }

    /**
     * The time from a job's end (its finishedAt, Redis' clock on this machine) to the wait's answer at the client. The
     * best of three, since a loaded machine delays any one of them; a poll on a timer would show in every one.
     */
    @Test
    void aWaitAnswersWithinFiftyMillisecondsOfTheJobsEnd() {
        List<Duration> lags = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String id = Jobs.enqueue(Map.of("type", "sleep", "payload", Map.of("ms", 700)));
            // a plain HTTP client: the time measured is the answer's, not a test library's
            HttpResponse<String> answer = HttpClient.newHttpClient().sendAsync(
                    HttpRequest.newBuilder(URI.create(url("/jobs/" + id + "/result?wait=PT20S"))).build(),
                    HttpResponse.BodyHandlers.ofString()).join();
            Instant at = Instant.now();
            assertThat(answer.statusCode()).isEqualTo(200);
            Instant finished = Instant.parse(Jobs.job(id).getString("finishedAt"));
            lags.add(Duration.between(finished, at));
        }
        System.out.println("result wait: answered after the job's end by " + lags);
        assertThat(lags).allSatisfy(lag -> assertThat(lag).isPositive().isLessThan(Duration.ofSeconds(1)));
        assertThat(lags.stream().min(Duration::compareTo).orElseThrow()).isLessThan(Duration.ofMillis(50));
    }

    @Inject
    Vertx vertx;

    @Test
    void aWaitWhoseRedisConnectionBreaksAnswersTheJobAsItIsInsteadOfHanging() {
        String queue = Jobs.uniqueQueue("cut");
        String id = Jobs.enqueue(Map.of("type", "sleep", "queue", queue, "payload", Map.of("ms", 30_000)));
        long start = System.nanoTime();
        CompletableFuture<HttpResponse<String>> answer = HttpClient.newHttpClient().sendAsync(
                HttpRequest.newBuilder(URI.create(url("/jobs/" + id + "/result?wait=PT50S"))).build(),
                HttpResponse.BodyHandlers.ofString());
        try (RedisNodes nodes = new RedisNodes(vertx)) {
            // the wait listens once the queue's events are recorded; then every client connection is cut
            // KEYS, not EXISTS: it names no key to route, so every node of a cluster answers for its own keys
            Jobs.eventually().until(() -> nodes.sendToEach("KEYS", "conveyor:{" + queue + "}:events:listening")
                    .stream().anyMatch(found -> found.size() == 1));
            nodes.sendToEach("CLIENT", "KILL", "TYPE", "normal");
        }
        HttpResponse<String> answered = answer.orTimeout(20, java.util.concurrent.TimeUnit.SECONDS).join();
        assertThat(answered.statusCode()).isEqualTo(409);
        assertThat(new JsonPath(answered.body()).getString("jobStatus")).isIn("queued", "running");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void anEnqueueWithWaitAnswersTheFinishedJob() {
        given().contentType("application/json").body(Map.of("type", "sleep", "payload", Map.of("ms", 200)))
                .when().post("/jobs?wait=PT20S")
                .then().statusCode(201).header("Location", org.hamcrest.Matchers.containsString("/jobs/"))
                .body("status", org.hamcrest.Matchers.equalTo("succeeded"))
                .body("result.sleptMs", org.hamcrest.Matchers.equalTo(200));
    }

    @Test
    void aWaitThatEndsFirstAnswersTheJobAsItIs() {
        long start = System.nanoTime();
        String status = given().contentType("application/json")
                .body(Map.of("type", "sleep", "payload", Map.of("ms", 10_000)))
                .when().post("/jobs?wait=PT0.5S").then().statusCode(201).extract().path("status");
        assertThat(status).isIn("queued", "running");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        String id = Jobs.enqueue(Map.of("type", "sleep", "payload", Map.of("ms", 10_000)));
        given().when().get("/jobs/" + id + "/result?wait=PT0.3S").then().statusCode(409)
                .body("jobStatus", org.hamcrest.Matchers.oneOf("queued", "running"));
    }

    /** True at the event that makes {@code n} succeeded jobs. */
    private static final class SucceededCount implements java.util.function.Predicate<SseClient.Event> {
        private final int n;
        private int seen;

        SucceededCount(int n) {
            this.n = n;
        }

        @Override
        public boolean test(SseClient.Event event) {
            return event.data().contains("\"succeeded\"") && ++seen == n;
        }
    }
}
