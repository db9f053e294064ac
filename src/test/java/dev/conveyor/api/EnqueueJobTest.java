package dev.conveyor.api;

import static dev.conveyor.testing.Jobs.create;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.oneOf;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.conveyor.testing.Jobs;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** POST /jobs with valid requests: the 201 answer, its Location, every job field, defaults, scheduling. */
@QuarkusTest
class EnqueueJobTest {

    private static final List<String> JOB_FIELDS = List.of("id", "type", "queue", "status", "priority", "payload",
            "attempts", "maxAttempts", "createdAt", "runAt", "startedAt", "finishedAt", "result", "error");

    @Test
    void answers201WithLocationAndEveryJobFieldAndAppliesDefaults() {
        Instant before = Instant.now();
        // delay keeps the job waiting, so every field is still in its initial state
        Response created = create(Map.of("type", "echo", "payload", Map.of("n", 1), "delay", "PT1H"));
        String id = created.path("id");

        created.then().contentType(ContentType.JSON)
                .header("Location", endsWith("/jobs/" + id))
                .body("id", matchesPattern("default\\.[0-9A-HJKMNP-TV-Z]{26}"))
                .body("type", equalTo("echo"))
                .body("queue", equalTo("default"))
                .body("status", equalTo("scheduled"))
                .body("priority", equalTo(5))
                .body("payload.n", equalTo(1))
                .body("attempts", equalTo(0))
                .body("maxAttempts", equalTo(3))
                .body("createdAt", notNullValue())
                .body("runAt", notNullValue())
                .body("startedAt", nullValue())
                .body("finishedAt", nullValue())
                .body("result", nullValue())
                .body("error", nullValue());
        Map<String, Object> json = created.jsonPath().getMap("$");
        for (String field : JOB_FIELDS) {
            assertThat(json).as("job JSON lacks field " + field + ": " + json).containsKey(field);
        }
        Instant createdAt = Instant.parse(created.path("createdAt"));
        assertThat(!createdAt.isBefore(before.minusSeconds(5)) && !createdAt.isAfter(Instant.now().plusSeconds(5)))
                .as("createdAt " + createdAt + " is not about now").isTrue();

        // the Location answers with the same job
        given().when().get(created.header("Location"))
                .then().statusCode(200).body("id", equalTo(id)).body("status", equalTo("scheduled"));
    }

    @Test
    void jobWithoutRunAtOrDelayIsQueuedAndRunnableAtCreation() {
        String queue = uniqueQueue();
        Response created = create(Map.of("type", "echo", "queue", queue));
        // the worker may already have picked it up, but the answer describes the job as created
        created.then().body("status", equalTo("queued"))
                .body("queue", equalTo(queue))
                .body("payload", equalTo(Map.of()))
                .body("runAt", equalTo(created.path("createdAt")));
    }

    @Test
    void keepsEveryGivenField() {
        String queue = uniqueQueue();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "sleep");
        body.put("payload", Map.of("ms", 10, "failTimes", 0, "retryable", true));
        body.put("queue", queue);
        body.put("priority", 1);
        body.put("maxAttempts", 100);
        String runAt = Instant.now().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS).toString();
        body.put("runAt", runAt);
        body.put("timeout", "PT30S");
        create(body).then()
                .body("id", matchesPattern(queue + "\\.[0-9A-Z]{26}"))
                .body("type", equalTo("sleep"))
                .body("queue", equalTo(queue))
                .body("status", equalTo("scheduled"))
                .body("priority", equalTo(1))
                .body("payload.ms", equalTo(10))
                .body("payload.failTimes", equalTo(0))
                .body("payload.retryable", equalTo(true))
                .body("maxAttempts", equalTo(100))
                .body("runAt", equalTo(runAt))
                .body("timeout", equalTo("PT30S"));
    }

    @Test
    void boundaryValuesAreAccepted() {
        String longestQueue = "q" + "a".repeat(63);
        create(Map.of("type", "echo", "queue", longestQueue, "priority", 10, "maxAttempts", 1, "delay", "PT1H"))
                .then().body("queue", equalTo(longestQueue)).body("priority", equalTo(10))
                .body("maxAttempts", equalTo(1));
        create(Map.of("type", "echo", "queue", "0", "delay", "P365D", "timeout", "PT24H"))
                .then().body("queue", equalTo("0")).body("status", equalTo("scheduled"))
                .body("timeout", equalTo("PT24H"));
        create(Map.of("type", "echo", "queue", uniqueQueue(), "idempotencyKey", "k".repeat(255), "delay", "PT1H"))
                .then().body("status", equalTo("scheduled"));
    }

    @Test
    void runAtInTheFutureIsScheduledAtThatInstantWhateverItsOffset() {
        OffsetDateTime inAMonth = OffsetDateTime.now(ZoneOffset.ofHours(2)).plusDays(30).truncatedTo(ChronoUnit.SECONDS);
        create(Map.of("type", "echo", "queue", uniqueQueue(), "runAt", inAMonth.toString()))
                .then().body("status", equalTo("scheduled"))
                .body("runAt", equalTo(inAMonth.toInstant().toString()));
    }

    @Test
    void runAtInThePastIsQueued() {
        create(Map.of("type", "echo", "queue", uniqueQueue(), "runAt", "2001-01-01T00:00:00Z"))
                .then().body("status", equalTo("queued"));
    }

    @Test
    void delayMakesTheJobScheduledThatFarAhead() {
        Instant before = Instant.now();
        Response created = create(Map.of("type", "echo", "queue", uniqueQueue(), "delay", "PT10M"));
        created.then().body("status", equalTo("scheduled"));
        Instant runAt = Instant.parse(created.path("runAt"));
        Instant expected = before.plus(Duration.ofMinutes(10));
        assertThat(!runAt.isBefore(expected.minusSeconds(1)) && !runAt.isAfter(expected.plusSeconds(30)))
                .as("runAt " + runAt + " is not 10 minutes after the request (" + before + ")").isTrue();
    }

    @Test
    void zeroDelayIsRunnableAtOnce() {
        create(Map.of("type", "echo", "queue", uniqueQueue(), "delay", "PT0S"))
                .then().body("status", equalTo("queued"));
    }

    @Test
    void everyBuiltInTypeAcceptsAValidPayload() {
        String queue = uniqueQueue();
        create(Map.of("type", "echo", "queue", queue, "payload", Map.of("message", "hello"), "delay", "PT1H"))
                .then().body("type", equalTo("echo"));
        create(Map.of("type", "sleep", "queue", queue, "payload", Map.of("ms", 0), "delay", "PT1H"))
                .then().body("type", equalTo("sleep"));
        create(Map.of("type", "primes", "queue", queue, "payload", Map.of("lowest", 1, "highest", 100),
                "delay", "PT1H")).then().body("type", equalTo("primes"));
        create(Map.of("type", "http", "queue", queue, "payload", Map.of("method", "POST",
                "url", "https://example.com/webhook", "headers", Map.of("x-source", "conveyor"),
                "body", Map.of("event", "signup"), "timeout", "PT10S"), "delay", "PT1H"))
                .then().body("type", equalTo("http")).body("payload.url", equalTo("https://example.com/webhook"));
    }

    @Test
    void nullPayloadMeansAnEmptyObject() {
        Response created = Jobs.post("/jobs",
                "{\"type\":\"echo\",\"payload\":null,\"queue\":\"" + uniqueQueue() + "\",\"delay\":\"PT1H\"}");
        created.then().statusCode(201).body("payload", equalTo(Map.of()));
    }

    @Test
    void everyCreatedJobHasItsOwnId() {
        String queue = uniqueQueue();
        String first = create(Map.of("type", "echo", "queue", queue, "delay", "PT1H")).path("id");
        String second = create(Map.of("type", "echo", "queue", queue, "delay", "PT1H")).path("id");
        assertThat(!first.equals(second)).as("two jobs got the same id " + first).isTrue();
    }

    @Test
    void primesJobComputesItsResult() {
        String id = create(Map.of("type", "primes", "queue", uniqueQueue(),
                "payload", Map.of("lowest", 10, "highest", 30))).path("id");
        Jobs.awaitStatus(id, "succeeded");
        Response result = given().when().get("/jobs/" + id + "/result");
        result.then().statusCode(200).body("id", equalTo(id)).body("status", equalTo("succeeded"))
                .body("result.count", equalTo(6));
        assertThat(result.jsonPath().getList("result.primes")).isEqualTo(List.of(11, 13, 17, 19, 23, 29));
    }

    @Test
    void runningJobReportsItsAttemptAndStart() {
        String id = create(Map.of("type", "sleep", "queue", uniqueQueue(), "payload", Map.of("ms", 1500)))
                .path("id");
        Jobs.eventually().untilAsserted(() -> given().when().get("/jobs/" + id).then().statusCode(200)
                .body("status", oneOf("running", "succeeded")).body("attempts", equalTo(1))
                .body("startedAt", notNullValue()));
        Jobs.awaitStatus(id, "succeeded");
        given().when().get("/jobs/" + id).then().body("finishedAt", notNullValue()).body("result.sleptMs",
                equalTo(1500)).body("result.attempt", equalTo(1)).body("error", nullValue());
    }
}
