package dev.conveyor.api;

import static dev.conveyor.testing.Jobs.countsOf;
import static dev.conveyor.testing.Jobs.create;
import static dev.conveyor.testing.Jobs.listAll;
import static dev.conveyor.testing.Jobs.post;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static dev.conveyor.testing.Problems.assertProblem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.conveyor.testing.Jobs;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Idempotency keys, in the body and in the Idempotency-Key header: replay gives the same job, misuse a 409. */
@QuarkusTest
class IdempotencyTest {

    private static String key() {
        return "key-" + UUID.randomUUID();
    }

    @Test
    void sameBodyKeyAndSameRequestGives200WithTheSameJob() {
        String queue = uniqueQueue();
        Map<String, Object> body = Map.of("type", "echo", "queue", queue, "payload", Map.of("a", 1),
                "delay", "PT1H", "idempotencyKey", key());
        String id = create(body).path("id");

        Response again = post("/jobs", body);
        again.then().statusCode(200).contentType(ContentType.JSON)
                .body("id", equalTo(id))
                .body("status", equalTo("scheduled"))
                .body("payload.a", equalTo(1))
                .header("Location", endsWith("/jobs/" + id));
        post("/jobs", body).then().statusCode(200).body("id", equalTo(id));

        assertThat(listAll(Map.of("queue", queue))).as("a replay enqueued another job").hasSize(1);
        assertThat(countsOf(queue).get("scheduled")).isEqualTo(1);
    }

    @Test
    void sameHeaderKeyAndSameRequestGives200WithTheSameJob() {
        String queue = uniqueQueue();
        String key = key();
        String body = "{\"type\":\"echo\",\"queue\":\"" + queue + "\",\"delay\":\"PT1H\"}";
        String id = given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body)
                .when().post("/jobs").then().statusCode(201).extract().path("id");

        given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body)
                .when().post("/jobs").then().statusCode(200).body("id", equalTo(id));
        assertThat(listAll(Map.of("queue", queue))).hasSize(1);
    }

    @Test
    void headerAndBodyFieldAreTheSameKey() {
        String queue = uniqueQueue();
        String key = key();
        String id = create(Map.of("type", "echo", "queue", queue, "delay", "PT1H", "idempotencyKey", key)).path("id");

        given().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Map.of("type", "echo", "queue", queue, "delay", "PT1H"))
                .when().post("/jobs").then().statusCode(200).body("id", equalTo(id));
        // both at once, equal: fine too
        given().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Map.of("type", "echo", "queue", queue, "delay", "PT1H", "idempotencyKey", key))
                .when().post("/jobs").then().statusCode(200).body("id", equalTo(id));
    }

    @Test
    void defaultsSpelledOutAreTheSameRequest() {
        String queue = uniqueQueue();
        String key = key();
        String id = create(Map.of("type", "echo", "queue", queue, "delay", "PT1H", "idempotencyKey", key)).path("id");
        Map<String, Object> explicit = new LinkedHashMap<>(Map.of("type", "echo", "queue", queue, "delay", "PT1H",
                "idempotencyKey", key, "priority", 5, "maxAttempts", 3, "payload", Map.of()));
        post("/jobs", explicit).then().statusCode(200).body("id", equalTo(id));
    }

    @Test
    void sameKeyWithADifferentRequestIs409Problem() {
        String queue = uniqueQueue();
        String key = key();
        String id = create(Map.of("type", "echo", "queue", queue, "payload", Map.of("a", 1), "delay", "PT1H",
                "idempotencyKey", key)).path("id");

        List<Map<String, Object>> differentRequests = List.of(
                Map.of("type", "echo", "queue", queue, "payload", Map.of("a", 2), "delay", "PT1H", "idempotencyKey", key),
                Map.of("type", "sleep", "queue", queue, "payload", Map.of("ms", 1), "delay", "PT1H", "idempotencyKey",
                        key),
                Map.of("type", "echo", "queue", queue, "payload", Map.of("a", 1), "delay", "PT1H", "priority", 1,
                        "idempotencyKey", key),
                Map.of("type", "echo", "queue", queue, "payload", Map.of("a", 1), "delay", "PT1H", "maxAttempts", 7,
                        "idempotencyKey", key),
                Map.of("type", "echo", "queue", queue, "payload", Map.of("a", 1), "delay", "PT2H",
                        "idempotencyKey", key),
                Map.of("type", "echo", "queue", queue, "payload", Map.of("a", 1), "delay", "PT1H", "timeout", "PT5S",
                        "idempotencyKey", key));
        for (Map<String, Object> different : differentRequests) {
            assertProblem(post("/jobs", different).then(), 409)
                    .body("type", equalTo("https://conveyor.dev/problems/idempotency-conflict"))
                    .body("errors.field", hasItem("idempotencyKey"))
                    .body("jobId", equalTo(id));
        }
        assertThat(listAll(Map.of("queue", queue))).as("a conflicting request enqueued a job").hasSize(1);
    }

    @Test
    void sameHeaderKeyWithADifferentRequestIs409Problem() {
        String queue = uniqueQueue();
        String key = key();
        given().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Map.of("type", "echo", "queue", queue, "delay", "PT1H")).when().post("/jobs")
                .then().statusCode(201);
        assertProblem(given().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Map.of("type", "echo", "queue", queue, "delay", "PT3H")).when().post("/jobs").then(), 409);
    }

    /**
     * Idempotency keys are scoped to a queue (as BullMQ's job ids are): every key of a queue lives in the queue's
     * Redis hash slot, so checking one is atomic with the enqueue, on Redis Cluster too. docs/architecture.md says so.
     */
    @Test
    void keysAreScopedToAQueue() {
        String key = key();
        String first = create(Map.of("type", "echo", "queue", uniqueQueue(), "delay", "PT1H", "idempotencyKey", key))
                .path("id");
        String second = create(Map.of("type", "echo", "queue", uniqueQueue(), "delay", "PT1H", "idempotencyKey", key))
                .path("id");
        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void differentKeysGiveDifferentJobs() {
        String queue = uniqueQueue();
        String a = create(Map.of("type", "echo", "queue", queue, "delay", "PT1H", "idempotencyKey", key())).path("id");
        String b = create(Map.of("type", "echo", "queue", queue, "delay", "PT1H", "idempotencyKey", key())).path("id");
        assertThat(b).isNotEqualTo(a);
    }

    @Test
    void replayAfterTheJobRanReturnsTheFinishedJob() {
        String queue = uniqueQueue();
        Map<String, Object> body = Map.of("type", "echo", "queue", queue, "payload", Map.of("x", "y"),
                "idempotencyKey", key());
        String id = create(body).path("id");
        Jobs.awaitStatus(id, "succeeded");
        post("/jobs", body).then().statusCode(200).body("id", equalTo(id)).body("status", equalTo("succeeded"))
                .body("result.x", equalTo("y"));
    }
}
