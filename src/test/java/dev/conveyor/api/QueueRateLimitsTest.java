package dev.conveyor.api;

import static dev.conveyor.testing.Jobs.enqueueWaiting;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static dev.conveyor.testing.Problems.assertInvalid;
import static dev.conveyor.testing.Problems.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** PUT and DELETE /queues/{name}/limits: the stored limits, their place in the queue views, and invalid input. */
@QuarkusTest
class QueueRateLimitsTest {

    private static ValidatableResponse put(String queue, Object body) {
        return given().contentType(ContentType.JSON).body(body).when().put("/queues/" + queue + "/limits").then();
    }

    @Test
    void limitsAreStoredShownWithTheQueueReplacedAndRemoved() {
        String queue = uniqueQueue("limited");
        enqueueWaiting(queue);

        put(queue, Map.of("rate", "100/m", "concurrency", 5)).statusCode(200)
                .body("rate", equalTo("100/m")).body("burst", equalTo(1)).body("concurrency", equalTo(5));
        given().when().get("/queues/" + queue).then().statusCode(200)
                .body("limits.rate", equalTo("100/m")).body("limits.burst", equalTo(1))
                .body("limits.concurrency", equalTo(5));
        given().when().get("/queues").then().statusCode(200)
                .body("find { it.name == '" + queue + "' }.limits.rate", equalTo("100/m"));

        put(queue, Map.of("rate", "50/s")).statusCode(200)
                .body("rate", equalTo("50/s")).body("burst", equalTo(5)).body("$", not(hasKey("concurrency")));
        put(queue, Map.of("concurrency", 3)).statusCode(200)
                .body("concurrency", equalTo(3)).body("$", not(hasKey("rate"))).body("$", not(hasKey("burst")));
        put(queue, Map.of("rate", "10/h", "burst", 10)).statusCode(200).body("burst", equalTo(10));
        given().when().get("/queues/" + queue).then()
                .body("limits.rate", equalTo("10/h")).body("limits", not(hasKey("concurrency")));

        given().when().delete("/queues/" + queue + "/limits").then().statusCode(204);
        given().when().get("/queues/" + queue).then().statusCode(200).body("$", not(hasKey("limits")));
        // removing no limits
        given().when().delete("/queues/" + queue + "/limits").then().statusCode(204);
    }

    @Test
    void invalidLimitsAre422ProblemsNamingTheField() {
        String queue = uniqueQueue("limited");
        enqueueWaiting(queue);

        assertInvalid(put(queue, Map.of()), "rate");
        assertInvalid(put(queue, Map.of("rate", "100/d")), "rate");
        assertInvalid(put(queue, Map.of("rate", "100")), "rate");
        assertInvalid(put(queue, Map.of("rate", "0/s")), "rate");
        assertInvalid(put(queue, Map.of("rate", "1000001/s")), "rate");
        assertInvalid(put(queue, Map.of("rate", "10/s", "burst", 11)), "burst");
        assertInvalid(put(queue, Map.of("rate", "10/s", "burst", 0)), "burst");
        assertInvalid(put(queue, Map.of("burst", 3, "concurrency", 1)), "burst");
        assertInvalid(put(queue, Map.of("concurrency", 0)), "concurrency");
        assertInvalid(put(queue, Map.of("concurrency", 10_001)), "concurrency");
        assertInvalid(put(queue, Map.of("rate", "x", "concurrency", 0)), "concurrency")
                .body("errors.field", org.hamcrest.Matchers.hasItem("rate"));
        given().when().get("/queues/" + queue).then().body("$", not(hasKey("limits")));

        put(queue, Map.of("rate", "1000000/s", "burst", 1_000_000, "concurrency", 10_000)).statusCode(200);
        put(queue, Map.of("rate", "1/h")).statusCode(200).body("burst", equalTo(1));
    }

    @Test
    void anUnknownQueueIsA404() {
        assertProblem(put(uniqueQueue("never-used"), Map.of("concurrency", 1)), 404);
        assertProblem(given().when().delete("/queues/" + uniqueQueue("never-used") + "/limits").then(), 404);
    }
}
