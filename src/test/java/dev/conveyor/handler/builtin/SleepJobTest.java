package dev.conveyor.handler.builtin;

import static dev.conveyor.testing.WorkerJobs.FIRST_PICKUP;
import static dev.conveyor.testing.WorkerJobs.awaitFinished;
import static dev.conveyor.testing.WorkerJobs.enqueue;
import static dev.conveyor.testing.WorkerJobs.millisBetween;
import static dev.conveyor.testing.WorkerJobs.uniqueQueue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** {@code sleep} through the real worker: it waits, and fails its first attempts on request. */
@QuarkusTest
class SleepJobTest {

    @Test
    void sleepsForTheGivenTime() {
        String queue = uniqueQueue("sleep");
        String id = enqueue("""
                {"type": "sleep", "queue": "%s", "payload": {"ms": 300}}
                """.formatted(queue));

        JsonPath job = awaitFinished(id, "succeeded", FIRST_PICKUP);

        long ran = millisBetween(job, "startedAt", "finishedAt");
        assertTrue(ran >= 300, "ran " + ran + " ms");
        assertTrue(ran < 3000, "ran " + ran + " ms");
        assertEquals(300, job.getInt("result.sleptMs"));
        assertEquals(1, job.getInt("result.attempt"));
        assertEquals(1, job.getInt("attempts"));
    }

    @Test
    void zeroMillisecondsSucceedsAtOnce() {
        String queue = uniqueQueue("sleep");
        String id = enqueue("""
                {"type": "sleep", "queue": "%s", "payload": {"ms": 0}}
                """.formatted(queue));

        JsonPath job = awaitFinished(id, "succeeded", FIRST_PICKUP);

        assertEquals(0, job.getInt("result.sleptMs"));
        assertTrue(millisBetween(job, "startedAt", "finishedAt") < 1000);
    }

    @Test
    void failingTwiceThenSucceedingOnTheThirdAttempt() {
        String queue = uniqueQueue("sleep");
        String id = enqueue("""
                {"type": "sleep", "queue": "%s", "maxAttempts": 3, "payload": {"ms": 20, "failTimes": 2}}
                """.formatted(queue));

        JsonPath job = awaitFinished(id, "succeeded", FIRST_PICKUP);

        assertEquals(3, job.getInt("attempts"));
        assertEquals(3, job.getInt("result.attempt"));
        assertEquals(20, job.getInt("result.sleptMs"));
        // the error of the last failed attempt stays visible
        assertEquals("failing attempt 2 of the first 2 on purpose", job.getString("error"));
        // a retry is rescheduled: runAt moved past the creation, and the last attempt started at or after it
        assertTrue(millisBetween(job, "createdAt", "runAt") > 0, job.prettify());
        assertTrue(millisBetween(job, "runAt", "startedAt") >= 0, job.prettify());
    }

    @Test
    void aNonRetryableFailureFailsTheJobAtOnce() {
        String queue = uniqueQueue("sleep");
        String id = enqueue("""
                {"type": "sleep", "queue": "%s", "maxAttempts": 3,
                 "payload": {"ms": 10, "failTimes": 2, "retryable": false}}
                """.formatted(queue));

        JsonPath job = awaitFinished(id, "failed", FIRST_PICKUP);

        assertEquals(1, job.getInt("attempts"));
        assertEquals("failing attempt 1 of the first 2 on purpose", job.getString("error"));
        assertNull(job.get("result"));
    }

    @Test
    void retryableFalseDoesNothingWhenNoAttemptFails() {
        String queue = uniqueQueue("sleep");
        String id = enqueue("""
                {"type": "sleep", "queue": "%s", "payload": {"ms": 10, "retryable": false}}
                """.formatted(queue));

        JsonPath job = awaitFinished(id, "succeeded", FIRST_PICKUP);

        assertEquals(1, job.getInt("attempts"));
    }
}
