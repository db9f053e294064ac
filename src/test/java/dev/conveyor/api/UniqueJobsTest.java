package dev.conveyor.api;

import static dev.conveyor.testing.Jobs.create;
import static dev.conveyor.testing.Jobs.listAll;
import static dev.conveyor.testing.Jobs.post;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static dev.conveyor.testing.Problems.assertInvalid;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;

/** Unique jobs through the API: one job per key while it is in scope, answered to every other enqueue with a 200. */
@QuarkusTest
class UniqueJobsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String key() {
        return "u-" + UUID.randomUUID();
    }

    private static Map<String, Object> job(String queue, Map<String, Object> unique) {
        return Map.of("type", "echo", "queue", queue, "delay", "PT1H", "unique", unique);
    }

    @Test
    void fiftyConcurrentEnqueuesOfOneKeyCreateOneJob() throws Exception {
        String queue = uniqueQueue();
        String body = JSON.writeValueAsString(job(queue, Map.of("key", key())));
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI jobs = URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/jobs");
        ExecutorService threads = Executors.newFixedThreadPool(50);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                answers.add(threads.submit(() -> {
                    start.await();
                    return client.send(HttpRequest.newBuilder(jobs).timeout(Duration.ofSeconds(20))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.ofString());
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            List<String> existing = new ArrayList<>();
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get(30, TimeUnit.SECONDS);
                statuses.add(response.statusCode());
                ids.add(JSON.readTree(response.body()).path("id").asText());
                response.headers().firstValue("Conveyor-Existing").ifPresent(existing::add);
            }

            assertThat(statuses).filteredOn(status -> status == 201).hasSize(1);
            assertThat(statuses).filteredOn(status -> status == 200).hasSize(49);
            assertThat(ids).as("every answer names the one job").containsOnly(ids.get(0));
            assertThat(existing).hasSize(49).containsOnly("unique");
            assertThat(listAll(Map.of("queue", queue))).hasSize(1);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aHeldKeyAnswersTheJobWith200UntilItLeavesItsScope() {
        String queue = uniqueQueue();
        Map<String, Object> request = job(queue, Map.of("key", key()));
        String id = create(request).path("id");

        post("/jobs", request).then().statusCode(200).header("Conveyor-Existing", "unique")
                .header("Location", endsWith("/jobs/" + id)).body("id", equalTo(id));
        // the job is cancelled: it left the scope active, and the key is free again
        given().when().delete("/jobs/" + id).then().statusCode(200);

        String next = create(request).path("id");
        assertThat(next).isNotEqualTo(id);
    }

    @Test
    void theJobShowsItsUniqueKeyWithDefaults() {
        String key = key();
        String id = create(job(uniqueQueue(), Map.of("key", key))).path("id");

        given().when().get("/jobs/" + id).then().statusCode(200)
                .body("unique.key", equalTo(key)).body("unique.scope", equalTo("active"))
                .body("unique.ttl", equalTo("PT1H"));
    }

    @Test
    void keysBelongToTheirQueue() {
        String key = key();
        String first = create(job(uniqueQueue(), Map.of("key", key))).path("id");
        String second = create(job(uniqueQueue(), Map.of("key", key))).path("id");

        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void theIdempotencyKeyIsCheckedFirst() {
        String queue = uniqueQueue();
        String key = key();
        Map<String, Object> first = Map.of("type", "echo", "queue", queue, "delay", "PT1H",
                "unique", Map.of("key", key), "idempotencyKey", "i-" + key);
        String id = create(first).path("id");

        // the same request again: an idempotent replay
        post("/jobs", first).then().statusCode(200).header("Conveyor-Existing", "idempotency")
                .body("id", equalTo(id));
        // another idempotency key, the same unique key: the unique key's job
        post("/jobs", Map.of("type", "echo", "queue", queue, "delay", "PT1H", "unique", Map.of("key", key),
                "idempotencyKey", "other-" + key)).then().statusCode(200)
                .header("Conveyor-Existing", "unique").body("id", equalTo(id));
        // the first idempotency key with another request: a conflict, although the unique key is held
        given().contentType("application/json").body(Map.of("type", "echo", "queue", queue, "delay", "PT2H",
                "unique", Map.of("key", key), "idempotencyKey", "i-" + key)).when().post("/jobs")
                .then().statusCode(409);
    }

    @Test
    void aBatchSaysPerJobWhetherItWasCreated() {
        String queue = uniqueQueue();
        String key = key();
        String held = create(job(queue, Map.of("key", key))).path("id");

        Response answer = post("/jobs/batch", Map.of("jobs", List.of(job(queue, Map.of("key", key)),
                job(queue, Map.of("key", key())), Map.of("type", "echo", "queue", queue, "delay", "PT1H"))));

        answer.then().statusCode(201).body("outcomes", equalTo(List.of("unique", "created", "created")))
                .body("jobs[0].id", equalTo(held));
        assertThat(listAll(Map.of("queue", queue))).hasSize(3);
    }

    @Test
    void invalidUniqueFieldsAre422NamingThem() {
        String queue = uniqueQueue();
        assertInvalid(post("/jobs", job(queue, Map.of("scope", "active"))).then(), "unique.key");
        assertInvalid(post("/jobs", job(queue, Map.of("key", "x".repeat(256)))).then(), "unique.key");
        assertInvalid(post("/jobs", job(queue, Map.of("key", "has space"))).then(), "unique.key");
        assertInvalid(post("/jobs", job(queue, Map.of("key", "k", "scope", "forever"))).then(), "unique.scope");
        assertInvalid(post("/jobs", job(queue, Map.of("key", "k", "ttl", "soon"))).then(), "unique.ttl");
        assertInvalid(post("/jobs", job(queue, Map.of("key", "k", "ttl", "PT0S"))).then(), "unique.ttl");
        assertInvalid(post("/jobs", job(queue, Map.of("key", "k", "ttl", "P8D"))).then(), "unique.ttl");
        assertInvalid(post("/jobs/batch", Map.of("jobs", List.of(job(queue, Map.of("key", "k", "ttl", "P8D")))))
                .then(), "jobs[0].unique.ttl");
        assertThat(listAll(Map.of("queue", queue))).isEmpty();
    }
}
