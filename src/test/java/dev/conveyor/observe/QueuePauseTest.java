package dev.conveyor.observe;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Workers claim nothing from a paused queue, enqueueing still works, and resuming starts the work at once. */
@QuarkusTest
class QueuePauseTest {

    @Test
    void aPausedQueueKeepsItsJobsUntilResumed() {
        String queue = "pause-" + UUID.randomUUID().toString().substring(0, 8);
        String first = enqueue(queue);
        awaitStatus(first, "succeeded");

        given().when().post("/queues/" + queue + "/pause").then().statusCode(200).body("paused", equalTo(true));
        String held = enqueue(queue);
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
        given().when().get("/queues/never-used-" + UUID.randomUUID().toString().substring(0, 8)).then()
                .statusCode(404).contentType("application/problem+json");
        given().when().post("/queues/NOT_VALID/pause").then().statusCode(404);
    }

    private static String enqueue(String queue) {
        return given().contentType(ContentType.JSON).body("{\"type\":\"echo\",\"queue\":\"" + queue + "\"}")
                .when().post("/jobs").then().statusCode(201).extract().path("id");
    }

    private static void awaitStatus(String id, String status) {
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                given().when().get("/jobs/" + id).then().body("status", equalTo(status)));
    }
}
