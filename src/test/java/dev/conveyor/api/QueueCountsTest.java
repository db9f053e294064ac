package dev.conveyor.api;

import static dev.conveyor.testing.Jobs.awaitStatus;
import static dev.conveyor.testing.Jobs.countsOf;
import static dev.conveyor.testing.Jobs.enqueue;
import static dev.conveyor.testing.Jobs.enqueueWaiting;
import static dev.conveyor.testing.Jobs.eventually;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasKey;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** GET /queues: every queue with its job count per status. */
@QuarkusTest
class QueueCountsTest {

    private static final List<String> STATUSES = List.of("scheduled", "queued", "running", "retrying", "succeeded",
            "failed", "cancelled");

    private static Map<String, Integer> counts(int scheduled, int queued, int running, int retrying, int succeeded,
            int failed, int cancelled) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        int[] values = { scheduled, queued, running, retrying, succeeded, failed, cancelled };
        for (int i = 0; i < values.length; i++) {
            counts.put(STATUSES.get(i), values[i]);
        }
        return counts;
    }

    @Test
    void everyQueueHasACountForEveryStatus() {
        enqueueWaiting(uniqueQueue());
        given().when().get("/queues").then().statusCode(200).contentType(ContentType.JSON)
                .body("name", everyItem(org.hamcrest.Matchers.notNullValue()))
                .body("counts", everyItem(hasKey("scheduled")))
                .body("counts", everyItem(hasKey("queued")))
                .body("counts", everyItem(hasKey("running")))
                .body("counts", everyItem(hasKey("retrying")))
                .body("counts", everyItem(hasKey("succeeded")))
                .body("counts", everyItem(hasKey("failed")))
                .body("counts", everyItem(hasKey("cancelled")));
    }

    @Test
    void queuesAreListedByName() {
        String queue = uniqueQueue();
        enqueueWaiting(queue);
        List<String> names = given().when().get("/queues").then().statusCode(200).extract().jsonPath()
                .getList("name");
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(null);
        assertThat(names).isEqualTo(sorted);
        assertThat(names.stream().filter(queue::equals).count()).isEqualTo(1);
    }

    @Test
    void unknownQueueIsNotListed() {
        assertThat(countsOf(uniqueQueue())).isNull();
    }

    @Test
    void countsFollowTheJobsOfAQueue() {
        String queue = uniqueQueue();
        enqueueWaiting(queue);
        enqueueWaiting(queue);
        assertThat(countsOf(queue)).isEqualTo(counts(2, 0, 0, 0, 0, 0, 0));

        String done = enqueue(Map.of("type", "echo", "queue", queue));
        String failed = enqueue(Map.of("type", "sleep", "queue", queue, "maxAttempts", 1,
                "payload", Map.of("ms", 0, "failTimes", 1, "retryable", false)));
        awaitStatus(done, "succeeded");
        awaitStatus(failed, "failed");
        assertThat(countsOf(queue)).isEqualTo(counts(2, 0, 0, 0, 1, 1, 0));
    }

    @Test
    void aNewJobIsCountedInExactlyOneStatus() {
        String queue = uniqueQueue();
        enqueue(Map.of("type", "echo", "queue", queue));
        Map<String, Integer> counts = countsOf(queue);
        assertThat(counts).as("the queue of a new job is not listed").isNotNull();
        assertThat(counts.values().stream().mapToInt(Integer::intValue).sum()).as(counts.toString()).isEqualTo(1);
        eventually().untilAsserted(() -> assertThat(countsOf(queue)).isEqualTo(counts(0, 0, 0, 0, 1, 0, 0)));
    }

    @Test
    void runningJobIsCountedAsRunning() {
        String queue = uniqueQueue();
        String id = enqueue(Map.of("type", "sleep", "queue", queue, "payload", Map.of("ms", 3000)));
        awaitStatus(id, "running");
        assertThat(countsOf(queue)).isEqualTo(counts(0, 0, 1, 0, 0, 0, 0));
        awaitStatus(id, "succeeded");
        assertThat(countsOf(queue)).isEqualTo(counts(0, 0, 0, 0, 1, 0, 0));
    }

    @Test
    void jobWaitingForItsNextAttemptIsCountedAsRetrying() {
        String queue = uniqueQueue();
        // fails 5 times with backoff (50 ms doubling, capped at 400 ms in tests), then succeeds
        String id = enqueue(Map.of("type", "sleep", "queue", queue, "maxAttempts", 6,
                "payload", Map.of("ms", 0, "failTimes", 5)));
        eventually().untilAsserted(() -> assertThat(countsOf(queue)).isEqualTo(counts(0, 0, 0, 1, 0, 0, 0)));
        awaitStatus(id, "succeeded");
        assertThat(countsOf(queue)).isEqualTo(counts(0, 0, 0, 0, 1, 0, 0));
        given().when().get("/jobs/" + id).then().body("attempts", org.hamcrest.Matchers.equalTo(6));
    }
}
