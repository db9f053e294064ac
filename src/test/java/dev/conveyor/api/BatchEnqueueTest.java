package dev.conveyor.api;

import static dev.conveyor.testing.Jobs.countsOf;
import static dev.conveyor.testing.Jobs.listAll;
import static dev.conveyor.testing.Jobs.post;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static dev.conveyor.testing.Problems.assertInvalid;
import static dev.conveyor.testing.Problems.assertProblem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.conveyor.testing.Jobs;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** POST /jobs/batch: request order, all-or-nothing validation with jobs[i].field names, size limits. */
@QuarkusTest
class BatchEnqueueTest {

    /** Within conveyor.api.max-schedule-ahead (P365D). */
    private static final String IN_A_MONTH = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS)
            .toString();

    private static Map<String, Object> batch(List<?> jobs) {
        return Map.of("jobs", jobs);
    }

    @Test
    void createsEveryJobAndAnswersInRequestOrder() {
        String a = uniqueQueue();
        String b = uniqueQueue();
        // queues interleaved, so that grouping by queue inside the store cannot hide a reordering
        List<Map<String, Object>> jobs = List.of(
                Map.of("type", "echo", "queue", a, "payload", Map.of("n", 0), "delay", "PT1H"),
                Map.of("type", "sleep", "queue", b, "payload", Map.of("ms", 1), "delay", "PT1H", "priority", 1),
                Map.of("type", "echo", "queue", a, "payload", Map.of("n", 2), "delay", "PT1H", "maxAttempts", 9),
                Map.of("type", "primes", "queue", b, "payload", Map.of("lowest", 1, "highest", 3), "delay", "PT1H"),
                Map.of("type", "echo", "queue", a, "payload", Map.of("n", 4), "runAt", IN_A_MONTH));
        Response answer = post("/jobs/batch", batch(jobs));
        answer.then().statusCode(201).contentType(ContentType.JSON)
                .body("jobs", hasSize(5))
                .body("jobs.type", equalTo(List.of("echo", "sleep", "echo", "primes", "echo")))
                .body("jobs.queue", equalTo(List.of(a, b, a, b, a)))
                .body("jobs[0].payload.n", equalTo(0))
                .body("jobs[2].payload.n", equalTo(2))
                .body("jobs[4].payload.n", equalTo(4))
                .body("jobs[1].priority", equalTo(1))
                .body("jobs[0].priority", equalTo(5))
                .body("jobs[2].maxAttempts", equalTo(9))
                .body("jobs[0].maxAttempts", equalTo(3))
                .body("jobs[4].runAt", equalTo(IN_A_MONTH))
                .body("jobs.status", equalTo(List.of("scheduled", "scheduled", "scheduled", "scheduled", "scheduled")));

        List<String> ids = answer.jsonPath().getList("jobs.id");
        assertThat(new HashSet<>(ids)).as("batch jobs share ids: " + ids).hasSize(5);
        for (int i = 0; i < ids.size(); i++) {
            given().when().get("/jobs/" + ids.get(i)).then().statusCode(200)
                    .body("type", equalTo(jobs.get(i).get("type")))
                    .body("queue", equalTo(jobs.get(i).get("queue")));
        }
        assertThat(countsOf(a).get("scheduled")).isEqualTo(3);
        assertThat(countsOf(b).get("scheduled")).isEqualTo(2);
    }

    @Test
    void batchJobsRun() {
        String queue = uniqueQueue();
        Response answer = post("/jobs/batch", batch(List.of(
                Map.of("type", "echo", "queue", queue, "payload", Map.of("i", 1)),
                Map.of("type", "echo", "queue", queue, "payload", Map.of("i", 2)))));
        answer.then().statusCode(201).body("jobs.status", equalTo(List.of("queued", "queued")));
        for (String id : answer.jsonPath().getList("jobs.id", String.class)) {
            Jobs.awaitStatus(id, "succeeded");
        }
    }

    @Test
    void oneInvalidJobRefusesTheWholeBatchNamingItsField() {
        String queue = uniqueQueue();
        List<Map<String, Object>> jobs = List.of(
                Map.of("type", "echo", "queue", queue),
                Map.of("type", "echo", "queue", queue, "priority", 11),
                Map.of("type", "echo", "queue", queue));
        assertInvalid(post("/jobs/batch", batch(jobs)).then(), "jobs[1].priority")
                .body("errors", hasSize(1))
                .body("detail", org.hamcrest.Matchers.containsString("jobs[1].priority"));
        assertThat(countsOf(queue)).as("a refused batch created queue " + queue).isNull();
        assertThat(listAll(Map.of("queue", queue))).isEmpty();
    }

    @Test
    void invalidJobInAnExistingQueueEnqueuesNothingThere() {
        String queue = uniqueQueue();
        Jobs.enqueueWaiting(queue);
        Map<String, Integer> before = countsOf(queue);
        assertInvalid(post("/jobs/batch", batch(List.of(
                Map.of("type", "echo", "queue", queue, "delay", "PT1H"),
                Map.of("type", "echo", "queue", queue, "delay", "PT1H"),
                Map.of("type", "sleep", "queue", queue, "payload", Map.of())))).then(), "jobs[2].payload.ms");
        assertThat(countsOf(queue)).isEqualTo(before);
        assertThat(listAll(Map.of("queue", queue))).hasSize(1);
    }

    @Test
    void everyInvalidJobIsReported() {
        String queue = uniqueQueue();
        assertInvalid(post("/jobs/batch", "{\"jobs\":[{\"type\":\"nope\",\"queue\":\"" + queue + "\"},"
                + "{\"type\":\"echo\",\"queue\":\"" + queue + "\"},"
                + "{\"type\":\"echo\",\"queue\":\"Q\",\"maxAttempts\":0},null]}").then(), "jobs[0].type")
                .body("errors.field", hasItems("jobs[0].type", "jobs[2].queue", "jobs[2].maxAttempts", "jobs[3]"))
                .body("errors", hasSize(4));
        assertThat(countsOf(queue)).isNull();
    }

    @Test
    void bindingErrorsInABatchNameTheJob() {
        assertInvalid(post("/jobs/batch", "{\"jobs\":[{\"type\":\"echo\"},{\"type\":\"echo\",\"prority\":2}]}")
                .then(), "jobs[1].prority");
        assertInvalid(post("/jobs/batch", "{\"jobs\":[{\"type\":\"echo\"},{\"type\":\"echo\",\"priority\":\"high\"}]}")
                .then(), "jobs[1].priority");
    }

    @Test
    void emptyOrMissingJobsIs422() {
        assertInvalid(post("/jobs/batch", "{\"jobs\":[]}").then(), "jobs");
        assertInvalid(post("/jobs/batch", "{}").then(), "jobs");
        assertInvalid(post("/jobs/batch", "{\"jobs\":null}").then(), "jobs");
    }

    @Test
    void moreThanAThousandJobsIs422AndEnqueuesNothing() {
        String queue = uniqueQueue();
        List<Map<String, Object>> jobs = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            jobs.add(Map.of("type", "echo", "queue", queue, "delay", "PT1H"));
        }
        assertInvalid(post("/jobs/batch", batch(jobs)).then(), "jobs")
                .body("errors[0].message", org.hamcrest.Matchers.containsString("1000"));
        assertThat(countsOf(queue)).isNull();
    }

    @Test
    void exactlyAThousandJobsAreAccepted() {
        String queue = uniqueQueue();
        List<Map<String, Object>> jobs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            jobs.add(Map.of("type", "echo", "queue", queue, "delay", "PT1H", "payload", Map.of("i", i)));
        }
        Response answer = post("/jobs/batch", batch(jobs));
        answer.then().statusCode(201).body("jobs", hasSize(1000)).body("jobs[999].payload.i", equalTo(999));
        assertThat(countsOf(queue).get("scheduled")).isEqualTo(1000);
    }

    @Test
    void idempotencyKeysWorkInABatch() {
        String queue = uniqueQueue();
        String key = "batch-" + UUID.randomUUID();
        Map<String, Object> job = Map.of("type", "echo", "queue", queue, "delay", "PT1H", "idempotencyKey", key);
        String id = post("/jobs/batch", batch(List.of(job))).then().statusCode(201).extract().path("jobs[0].id");
        post("/jobs/batch", batch(List.of(job, Map.of("type", "echo", "queue", queue, "delay", "PT1H"))))
                .then().statusCode(201).body("jobs[0].id", equalTo(id));
        assertThat(listAll(Map.of("queue", queue))).hasSize(2);

        assertProblem(post("/jobs/batch", batch(List.of(Map.of("type", "echo", "queue", queue, "delay", "PT2H",
                "idempotencyKey", key)))).then(), 409)
                .body("jobId", equalTo(id));
    }

    /** All or nothing holds for idempotency conflicts too: keys are checked before anything is written. */
    @Test
    void batchRefusedForAnIdempotencyConflictEnqueuesNothing() {
        String queue = uniqueQueue();
        String key = "batch-" + UUID.randomUUID();
        assertProblem(post("/jobs/batch", batch(List.of(
                Map.of("type", "echo", "queue", queue, "delay", "PT1H", "idempotencyKey", key),
                Map.of("type", "echo", "queue", queue, "delay", "PT2H", "idempotencyKey", key)))).then(), 409);
        assertThat(listAll(Map.of("queue", queue))).isEmpty();
    }

    @Test
    void batchWithAKeyHeldByADifferentEarlierRequestEnqueuesNothing() {
        String queue = uniqueQueue();
        String key = "batch-" + UUID.randomUUID();
        post("/jobs", Map.of("type", "echo", "queue", queue, "delay", "PT1H", "idempotencyKey", key)).then()
                .statusCode(201);
        assertProblem(post("/jobs/batch", batch(List.of(
                Map.of("type", "echo", "queue", queue, "delay", "PT5H"),
                Map.of("type", "echo", "queue", queue, "delay", "PT2H", "idempotencyKey", key)))).then(), 409)
                .body("errors[0].field", equalTo("jobs[1].idempotencyKey"));
        assertThat(listAll(Map.of("queue", queue))).hasSize(1);
    }

    @Test
    void sameKeyTwiceInOneBatchForTheSameRequestIsOneJob() {
        String queue = uniqueQueue();
        Map<String, Object> job = Map.of("type", "echo", "queue", queue, "delay", "PT1H", "idempotencyKey",
                "batch-" + UUID.randomUUID());
        Response answer = post("/jobs/batch", batch(List.of(job, job)));
        answer.then().statusCode(201).body("jobs", hasSize(2));
        assertThat((String) answer.path("jobs[1].id")).isEqualTo(answer.path("jobs[0].id"));
        assertThat(listAll(Map.of("queue", queue))).hasSize(1);
    }
}
