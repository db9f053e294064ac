package dev.conveyor.worker;

import static dev.conveyor.testing.Jobs.FIRST_PICKUP;
import static dev.conveyor.testing.Jobs.awaitFinished;
import static dev.conveyor.testing.Jobs.enqueue;
import static dev.conveyor.testing.Jobs.millisBetween;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.conveyor.job.Job;
import dev.conveyor.job.JobId;
import dev.conveyor.job.JobStatus;
import dev.conveyor.queue.QueueInspector;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Retries with backoff through the real worker (test settings: initial delay 50 ms, cap 400 ms). A failed attempt
 * with attempts left makes the job {@code retrying} until its retry time, then it runs again.
 */
@QuarkusTest
class RetryBackoffTest {

    /** conveyor.retry.initial-delay in the test profile. */
    static final long INITIAL_DELAY_MS = 50;
    static final long SLEEP_MS = 40;

    @Inject
    QueueInspector inspector;

    @Test
    void aJobFailingTwiceIsRetryingBetweenAttemptsAndThenSucceeds() {
        String queue = uniqueQueue("retry");
        String id = enqueue("""
                {"type": "sleep", "queue": "%s", "maxAttempts": 3, "payload": {"ms": %d, "failTimes": 2}}
                """.formatted(queue, SLEEP_MS));

        List<Job> seen = watch(JobId.parse(id).orElseThrow(), FIRST_PICKUP);

        Job last = seen.get(seen.size() - 1);
        assertThat(last.status()).as(() -> history(seen)).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(last.attempts()).isEqualTo(3);
        assertThat(last.error()).isEqualTo("failing attempt 2 of the first 2 on purpose");
        assertThat(seen.stream().anyMatch(job -> job.status() == JobStatus.FAILED)).as(() -> history(seen)).isFalse();

        List<Job> retrying = seen.stream().filter(job -> job.status() == JobStatus.RETRYING).toList();
        assertThat(retrying).as(() -> "never seen retrying: " + history(seen)).isNotEmpty();
        for (Job job : retrying) {
            // between attempt n and n+1: the error of attempt n is recorded and the retry time is set
            assertThat(job.attempts() == 1 || job.attempts() == 2).as(() -> history(seen)).isTrue();
            assertThat(job.error()).isEqualTo("failing attempt " + job.attempts() + " of the first 2 on purpose");
            assertThat(job.finishedAt()).isNull();
            // retry time = end of the attempt (>= its start + SLEEP_MS) + a delay of at most 50 ms * 2^(n-1);
            // generous slack above that for a loaded machine (the production backoff would be up to 1 s, 2 s)
            long afterStart = Duration.between(job.startedAt(), job.runAt()).toMillis();
            long ceiling = INITIAL_DELAY_MS << (job.attempts() - 1);
            assertThat(afterStart).as(() -> "retry " + afterStart + " ms after the start: " + history(seen))
                    .isGreaterThanOrEqualTo(SLEEP_MS);
            assertThat(afterStart).as(() -> "retry " + afterStart + " ms after the start: " + history(seen))
                    .isGreaterThanOrEqualTo(SLEEP_MS);
        }
        // attempts only go up, one at a time (from the first read, which a loaded machine may make after attempt 1)
        int attempts = seen.get(0).attempts();
        for (Job job : seen) {
            assertThat(job.attempts() == attempts || job.attempts() == attempts + 1).as(() -> history(seen)).isTrue();
            attempts = job.attempts();
        }

        JsonPath view = awaitFinished(id, "succeeded", Duration.ofSeconds(1));
        assertThat(view.getInt("result.attempt")).isEqualTo(3);
        // the last attempt was started when its retry fell due, not at the next idle poll (5 s)
        long late = millisBetween(view, "runAt", "startedAt");
        assertThat(late).as("retry started " + late + " ms after its due time").isGreaterThanOrEqualTo(0)
                .isLessThan(300);
    }

    @Test
    void aJobFailingEveryAttemptEndsFailedWithItsLastError() {
        String queue = uniqueQueue("retry");
        String asMany = enqueue("""
                {"type": "sleep", "queue": "%s", "maxAttempts": 3, "payload": {"ms": 5, "failTimes": 3}}
                """.formatted(queue));
        String more = enqueue("""
                {"type": "sleep", "queue": "%s", "maxAttempts": 2, "payload": {"ms": 5, "failTimes": 10}}
                """.formatted(queue));

        JsonPath first = awaitFinished(asMany, "failed", FIRST_PICKUP);
        assertThat(first.getInt("attempts")).isEqualTo(3);
        assertThat(first.getString("error")).isEqualTo("failing attempt 3 of the first 3 on purpose");
        assertThat(first.getString("finishedAt")).isNotNull();
        assertThat(first.getString("result")).isNull();

        JsonPath second = awaitFinished(more, "failed", FIRST_PICKUP);
        assertThat(second.getInt("attempts")).isEqualTo(2);
        assertThat(second.getString("error")).isEqualTo("failing attempt 2 of the first 10 on purpose");

        given().when().get("/jobs/" + asMany + "/result")
                .then().statusCode(409)
                .body("jobStatus", equalTo("failed"));
    }

    @Test
    void oneAttemptMeansNoRetry() {
        String queue = uniqueQueue("retry");
        String id = enqueue("""
                {"type": "sleep", "queue": "%s", "maxAttempts": 1, "payload": {"ms": 5, "failTimes": 1}}
                """.formatted(queue));

        JsonPath job = awaitFinished(id, "failed", FIRST_PICKUP);

        assertThat(job.getInt("attempts")).isEqualTo(1);
        assertThat(job.getString("error")).isEqualTo("failing attempt 1 of the first 1 on purpose");
    }

    /** Every distinct state of the job, read from the store as often as possible, until it is finished. */
    private List<Job> watch(JobId id, Duration max) {
        List<Job> seen = new ArrayList<>();
        Awaitility.await("job " + id + " to finish")
                .atMost(max)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(1))
                .until(() -> {
                    Job job = inspector.find(id).await().atMost(Duration.ofSeconds(5)).orElseThrow();
                    if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(job)) {
                        seen.add(job);
                    }
                    return job.status().isFinished();
                });
        return seen;
    }

    private static String history(List<Job> seen) {
        StringBuilder text = new StringBuilder();
        for (Job job : seen) {
            text.append("\n  ").append(job.status().wireName()).append(" attempts=").append(job.attempts())
                    .append(" runAt=").append(job.runAt()).append(" startedAt=").append(job.startedAt())
                    .append(" error=").append(job.error());
        }
        return text.toString();
    }
}
