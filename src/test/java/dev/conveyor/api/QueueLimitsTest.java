package dev.conveyor.api;

import static dev.conveyor.testing.Jobs.enqueue;
import static dev.conveyor.testing.Jobs.post;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static dev.conveyor.testing.Problems.assertProblem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.conveyor.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Queues are capped: the next new queue past conveyor.queue.max-queues is refused, pausing an unknown queue is a
 * 404, and an empty queue can be deleted to make room. The profile has its own key prefix, so it counts its queues only.
 */
@QuarkusTest
@TestProfile(QueueLimitsTest.ThreeQueues.class)
class QueueLimitsTest {

    public static class ThreeQueues implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("conveyor.queue.max-queues", "3", "conveyor.queue.key-prefix", "queue-limits",
                    "conveyor.worker.queues", "default");
        }
    }

    @Test
    void theQueueCapRefusesTheNextNewQueueAndDeletingAnEmptyQueueMakesRoom() {
        List<String> queues = List.of(uniqueQueue(), uniqueQueue(), uniqueQueue());
        List<String> ids = queues.stream().map(Jobs::enqueueWaiting).toList();
        String extra = uniqueQueue();

        assertProblem(post("/jobs", Map.of("type", "echo", "queue", extra)).then(), 409)
                .body("type", equalTo("https://conveyor.dev/problems/too-many-queues"))
                .body("errors.field", hasItem("queue"));
        assertProblem(post("/jobs/batch", Map.of("jobs", List.of(Map.of("type", "echo", "queue", queues.get(0)),
                Map.of("type", "echo", "queue", extra)))).then(), 409)
                .body("errors.field", hasItem("jobs[1].queue"));
        assertThat(Jobs.countsOf(queues.get(0)).get("scheduled")).as("nothing of the refused batch was enqueued")
                .isEqualTo(1);
        // a known queue still takes jobs
        enqueue(Map.of("type", "echo", "queue", queues.get(1), "delay", "PT1H"));

        assertProblem(given().when().delete("/queues/" + queues.get(0)).then(), 409)
                .body("type", equalTo("https://conveyor.dev/problems/queue-not-empty"));
        given().when().delete("/jobs/" + ids.get(0)).then().statusCode(200);
        given().when().delete("/queues/" + queues.get(0)).then().statusCode(204);
        given().when().get("/queues/" + queues.get(0)).then().statusCode(404);
        given().when().get("/jobs/" + ids.get(0)).then().statusCode(404);

        enqueue(Map.of("type", "echo", "queue", extra, "delay", "PT1H"));
    }

    @Test
    void pausingOrResumingOrDeletingAnUnknownQueueIs404AndCreatesNothing() {
        String queue = uniqueQueue();
        assertProblem(given().when().post("/queues/" + queue + "/pause").then(), 404);
        assertProblem(given().when().post("/queues/" + queue + "/resume").then(), 404);
        assertProblem(given().when().delete("/queues/" + queue).then(), 404);
        given().when().get("/queues/" + queue).then().statusCode(404);
    }

    @Test
    void theDefaultQueueCanBePausedBeforeItsFirstJob() {
        given().when().get("/queues/default").then().statusCode(200).body("counts.queued", equalTo(0));
        given().when().post("/queues/default/pause").then().statusCode(200).body("paused", equalTo(true));
        given().when().post("/queues/default/resume").then().statusCode(200).body("paused", equalTo(false));
    }
}
