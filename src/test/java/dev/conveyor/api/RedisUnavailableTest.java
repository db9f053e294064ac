package dev.conveyor.api;

import static dev.conveyor.testing.Problems.assertProblem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.function.Supplier;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.conveyor.testing.Problems;
import dev.conveyor.testing.RedisDownProfile;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** With Redis unreachable, the API answers 503 problems with Retry-After, quickly, instead of hanging or a 500. */
@QuarkusTest
@TestProfile(RedisDownProfile.class)
class RedisUnavailableTest {

    private static final Duration BOUND = Duration.ofSeconds(5);

    /** The first requests of a fresh application are slow for reasons unrelated to Redis (class loading, JIT). */
    @BeforeEach
    void warmUp() {
        given().when().get("/jobs/not-an-id").then().statusCode(404);
    }

    private static ValidatableResponse timed(Supplier<ValidatableResponse> call) {
        long started = System.nanoTime();
        ValidatableResponse response = call.get();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(took.compareTo(BOUND)).as("the answer took " + took.toMillis() + " ms").isLessThan(0);
        return response;
    }

    private static void assertUnavailable(ValidatableResponse response) {
        assertProblem(response, 503)
                .body("type", equalTo("https://conveyor.dev/problems/unavailable"))
                .header("Retry-After", equalTo("1"));
    }

    @Test
    void enqueueIs503WithRetryAfter() {
        assertUnavailable(timed(() -> given().contentType(ContentType.JSON).body("{\"type\":\"echo\"}")
                .when().post("/jobs").then()));
    }

    @Test
    void getJobIs503WithRetryAfter() {
        assertUnavailable(timed(() -> given().when().get("/jobs/default.01ARZ3NDEKTSV4RRFFQ69G5FAV").then()));
        assertUnavailable(timed(() -> given().when().get("/jobs/default.01ARZ3NDEKTSV4RRFFQ69G5FAV/result").then()));
    }

    @Test
    void listingsAndBatchesAre503WithRetryAfter() {
        assertUnavailable(timed(() -> given().when().get("/jobs").then()));
        assertUnavailable(timed(() -> given().queryParam("queue", "default").when().get("/jobs").then()));
        assertUnavailable(timed(() -> given().when().get("/queues").then()));
        assertUnavailable(timed(() -> given().contentType(ContentType.JSON)
                .body("{\"jobs\":[{\"type\":\"echo\"}]}").when().post("/jobs/batch").then()));
    }

    @Test
    void bulkActionsAre503WithRetryAfter() {
        assertUnavailable(timed(() -> given().when().post("/queues/default/retry-failed").then()));
        assertUnavailable(timed(() -> given().when().post("/queues/default/drain").then()));
        assertUnavailable(timed(() -> given().when().delete("/queues/default/jobs?status=failed").then()));
    }

    @Test
    void everyCallIsAnsweredQuicklyNotOnlyTheFirst() {
        for (int i = 0; i < 3; i++) {
            assertUnavailable(timed(() -> given().contentType(ContentType.JSON).body("{\"type\":\"echo\"}")
                    .when().post("/jobs").then()));
        }
    }

    /** Requests that need no Redis are still answered as usual. */
    @Test
    void badInputIsStillA422OrA404WithoutRedis() {
        Problems.assertInvalid(timed(() -> given().contentType(ContentType.JSON)
                .body("{\"type\":\"echo\",\"priority\":0}").when().post("/jobs").then()), "priority");
        assertProblem(timed(() -> given().when().get("/jobs/not-an-id").then()), 404);
    }
}
