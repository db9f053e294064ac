package dev.conveyor.worker;

import static dev.conveyor.testing.Jobs.FIRST_PICKUP;
import static dev.conveyor.testing.Jobs.awaitFinished;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.conveyor.job.NewJob;
import dev.conveyor.queue.Enqueued;
import dev.conveyor.queue.JobStore;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** What the worker does with jobs the API would not have let in, and how many jobs it runs at once. */
@QuarkusTest
class JobRunnerOutcomesTest {

    @Inject
    JobStore store;

    @Inject
    WorkerConfig config;

    @Test
    void aJobOfAnUnknownTypeFailsAtOnce() {
        String queue = uniqueQueue("runner");
        String id = enqueueDirectly(new NewJob("no-such-type", queue, 5, "{}", 3, null, null, null, null, null));

        JsonPath job = awaitFinished(id, "failed", FIRST_PICKUP);

        assertThat(job.getInt("attempts")).isEqualTo(1);
        assertThat(job.getString("error")).isEqualTo("no handler for job type 'no-such-type'");
    }

    @Test
    void anUnreadablePayloadFailsAtOnce() {
        String queue = uniqueQueue("runner");
        String id = enqueueDirectly(new NewJob("sleep", queue, 5, "{\"ms\": \"soon\"}", 3, null, null, null, null, null));

        JsonPath job = awaitFinished(id, "failed", FIRST_PICKUP);

        assertThat(job.getInt("attempts")).isEqualTo(1);
        assertThat(job.getString("error")).as(job.getString("error")).startsWith("payload unreadable: ");
    }

    @Test
    void upToConcurrencyJobsRunAtOnce() {
        String queue = uniqueQueue("runner");
        int jobs = config.concurrency() + 3;
        StringBuilder batch = new StringBuilder("{\"jobs\": [");
        for (int i = 0; i < jobs; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"type\": \"sleep\", \"queue\": \"").append(queue)
                    .append("\", \"payload\": {\"ms\": 700}}");
        }
        batch.append("]}");
        List<String> ids = given().contentType(ContentType.JSON).body(batch.toString())
                .when().post("/jobs/batch")
                .then().statusCode(201)
                .extract().path("jobs.id");

        List<Instant[]> runs = new ArrayList<>();
        for (String id : ids) {
            JsonPath job = awaitFinished(id, "succeeded", FIRST_PICKUP);
            runs.add(new Instant[] { Instant.parse(job.getString("startedAt")), Instant.parse(job.getString("finishedAt")) });
        }

        int most = 0;
        for (Instant[] run : runs) {
            int running = 0;
            for (Instant[] other : runs) {
                if (!other[0].isAfter(run[0]) && other[1].isAfter(run[0])) {
                    running++;
                }
            }
            most = Math.max(most, running);
        }
        assertThat(most).as("jobs ran one after the other").isGreaterThan(1);
        assertThat(most).as(most + " jobs ran at once; concurrency is " + config.concurrency())
                .isLessThanOrEqualTo(config.concurrency());
    }

    private String enqueueDirectly(NewJob job) {
        List<Enqueued> enqueued = store.enqueue(List.of(job)).await().atMost(Duration.ofSeconds(5));
        return enqueued.get(0).job().id().toString();
    }
}
