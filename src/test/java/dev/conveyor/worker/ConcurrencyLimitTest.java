package dev.conveyor.worker;

import static dev.conveyor.testing.Jobs.awaitFinished;
import static dev.conveyor.testing.Jobs.enqueue;
import static dev.conveyor.testing.Jobs.enqueueWaiting;
import static dev.conveyor.testing.Jobs.post;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * A worker with 10 slots runs the jobs of a queue limited to one at a time one after the other (without the limit it
 * would run them all at once), while a queue without limits is not held up; the held-back claims and the waits show
 * in the metrics.
 */
@QuarkusTest
class ConcurrencyLimitTest {

    private static final Duration DONE = Duration.ofSeconds(30);

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    /** The value of a sample of {@code name} for the queue's concurrency limit; -1 when absent. */
    private static double sample(String text, String name, String queue) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{limit=\"concurrency\",queue=\"" + Pattern.quote(queue)
                + "\"\\} (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    @Test
    void aConcurrencyOneQueueNeverRunsTwoJobsAtOnce() {
        String queue = uniqueQueue("one-at-a-time");
        String unlimited = uniqueQueue("unlimited");
        // both queues known to the worker before the run
        awaitFinished(enqueue(Map.of("type", "echo", "queue", unlimited)), "succeeded", DONE);
        enqueueWaiting(queue);
        given().contentType(ContentType.JSON).body(Map.of("concurrency", 1)).when().put("/queues/" + queue + "/limits")
                .then().statusCode(200);

        Map<String, Object> sleep = Map.of("type", "sleep", "queue", queue, "payload", Map.of("ms", 200));
        List<String> ids = post("/jobs/batch", Map.of("jobs", Collections.nCopies(6, sleep)))
                .then().statusCode(201).extract().jsonPath().getList("jobs.id", String.class);
        String free = enqueue(Map.of("type", "sleep", "queue", unlimited, "payload", Map.of("ms", 1)));
        JsonPath freeJob = awaitFinished(free, "succeeded", DONE);
        List<JsonPath> jobs = ids.stream().map(id -> awaitFinished(id, "succeeded", DONE)).toList();

        List<Instant[]> runs = jobs.stream()
                .map(j -> new Instant[] { Instant.parse(j.getString("startedAt")), Instant.parse(j.getString("finishedAt")) })
                .sorted(Comparator.comparing(run -> run[0])).toList();
        for (int i = 1; i < runs.size(); i++) {
            assertThat(runs.get(i)[0]).as("job %d started after job %d ended", i + 1, i)
                    .isAfterOrEqualTo(runs.get(i - 1)[1]);
        }
        String metrics = given().when().get(this.metrics).then().statusCode(200).extract().asString();
        assertThat(sample(metrics, "conveyor_queue_limited_claims_total", queue)).as("claims held back")
                .isGreaterThanOrEqualTo(1);
        assertThat(sample(metrics, "conveyor_queue_limit_wait_seconds_count", queue)).as("waits timed")
                .isGreaterThanOrEqualTo(1);
        assertThat(Instant.parse(freeJob.getString("finishedAt")))
                .as("the unlimited queue's job (created %s, started %s) was not held up by %s",
                        freeJob.getString("createdAt"), freeJob.getString("startedAt"),
                        jobs.stream().map(j -> j.getString("createdAt") + " " + j.getString("startedAt") + "-"
                                + j.getString("finishedAt")).toList())
                .isBefore(runs.get(runs.size() - 1)[0]);
    }
}
