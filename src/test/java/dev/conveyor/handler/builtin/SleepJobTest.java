package dev.conveyor.handler.builtin;

import static dev.conveyor.testing.Jobs.millisBetween;
import static dev.conveyor.testing.Jobs.run;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** {@code sleep} through the real worker: it waits, and fails its first attempts on request. */
@QuarkusTest
class SleepJobTest {

    private final String queue = uniqueQueue("sleep");

    @Test
    void sleepsForTheGivenTime() {
        JsonPath job = run("""
                {"type": "sleep", "queue": "%s", "payload": {"ms": 300}}
                """.formatted(queue), "succeeded");

        long ran = millisBetween(job, "startedAt", "finishedAt");
        assertThat(ran).as("ran " + ran + " ms").isGreaterThanOrEqualTo(300);
        assertThat(ran).as("ran " + ran + " ms").isLessThan(3000);
        assertThat(job.getInt("result.sleptMs")).isEqualTo(300);
        assertThat(job.getInt("result.attempt")).isEqualTo(1);
        assertThat(job.getInt("attempts")).isEqualTo(1);
    }

    @Test
    void zeroMillisecondsSucceedsAtOnce() {
        JsonPath job = run("""
                {"type": "sleep", "queue": "%s", "payload": {"ms": 0}}
                """.formatted(queue), "succeeded");

        assertThat(job.getInt("result.sleptMs")).isEqualTo(0);
        assertThat(millisBetween(job, "startedAt", "finishedAt")).isLessThan(1000);
    }

    @Test
    void failingTwiceThenSucceedingOnTheThirdAttempt() {
        JsonPath job = run("""
                {"type": "sleep", "queue": "%s", "maxAttempts": 3, "payload": {"ms": 20, "failTimes": 2}}
                """.formatted(queue), "succeeded");

        assertThat(job.getInt("attempts")).isEqualTo(3);
        assertThat(job.getInt("result.attempt")).isEqualTo(3);
        assertThat(job.getInt("result.sleptMs")).isEqualTo(20);
        // the error of the last failed attempt stays visible
        assertThat(job.getString("error")).isEqualTo("failing attempt 2 of the first 2 on purpose");
        // a retry is rescheduled: runAt moved past the creation, and the last attempt started at or after it
        assertThat(millisBetween(job, "createdAt", "runAt")).as(job.prettify()).isGreaterThan(0);
        assertThat(millisBetween(job, "runAt", "startedAt")).as(job.prettify()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void aNonRetryableFailureFailsTheJobAtOnce() {
        JsonPath job = run("""
                {"type": "sleep", "queue": "%s", "maxAttempts": 3,
                 "payload": {"ms": 10, "failTimes": 2, "retryable": false}}
                """.formatted(queue), "failed");

        assertThat(job.getInt("attempts")).isEqualTo(1);
        assertThat(job.getString("error")).isEqualTo("failing attempt 1 of the first 2 on purpose");
        assertThat(job.getString("result")).isNull();
    }

    @Test
    void retryableFalseDoesNothingWhenNoAttemptFails() {
        JsonPath job = run("""
                {"type": "sleep", "queue": "%s", "payload": {"ms": 10, "retryable": false}}
                """.formatted(queue), "succeeded");

        assertThat(job.getInt("attempts")).isEqualTo(1);
    }
}
