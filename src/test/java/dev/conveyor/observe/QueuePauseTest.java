package dev.conveyor.observe;

import static dev.conveyor.testing.Jobs.awaitStatus;
import static dev.conveyor.testing.Jobs.enqueue;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** Workers claim nothing from a paused queue, enqueueing still works, and resuming starts the work at once. */
@QuarkusTest
class QueuePauseTest {

    @Test
    void aPausedQueueKeepsItsJobsUntilResumed() {
        String queue = uniqueQueue("pause");
        String first = enqueue(Map.of("type", "echo", "queue", queue));
        awaitStatus(first, "succeeded");

        given().when().post("/queues/" + queue + "/pause").then().statusCode(200).body("paused", equalTo(true));
        String held = enqueue(Map.of("type", "echo", "queue", queue));
        // the job must stay queued while the queue is paused (the absence of an event can only be watched for a while)
        Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).untilAsserted(() ->
                given().when().get("/jobs/" + held).then().body("status", equalTo("queued")));
        given().when().get("/queues/" + queue).then().statusCode(200)
                .body("paused", equalTo(true)).body("counts.queued", equalTo(1));

        given().when().post("/queues/" + queue + "/resume").then().statusCode(200).body("paused", equalTo(false));
        awaitStatus(held, "succeeded");
    }

    @Test
    void unknownQueuesAre404Problems() {
        given().when().get("/queues/" + uniqueQueue("never-used")).then()
                .statusCode(404).contentType("application/problem+json");
        given().when().post("/queues/NOT_VALID/pause").then().statusCode(404);
    }

}
