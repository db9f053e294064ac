package dev.conveyor.worker;

import static dev.conveyor.testing.Jobs.FIRST_PICKUP;
import static dev.conveyor.testing.Jobs.awaitFinished;
import static dev.conveyor.testing.Jobs.awaitJob;
import static dev.conveyor.testing.Jobs.enqueue;
import static dev.conveyor.testing.Jobs.millisBetween;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.oneOf;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** DELETE /jobs/{id} through to the worker: a running job is stopped and recorded as cancelled, not retried. */
@QuarkusTest
class JobCancelTest {

    private final String queue = uniqueQueue("cancel");

    @Test
    void aRunningJobIsStoppedAndRecordedCancelled() {
        String id = enqueue("""
                {"type": "sleep", "queue": "%s", "maxAttempts": 3, "payload": {"ms": 30000}}
                """.formatted(queue));
        awaitJob(id, FIRST_PICKUP, job -> job.getString("status").equals("running"));

        // 202: the job was running; the answer shows it as read right after, which may already be cancelled
        given().when().delete("/jobs/" + id)
                .then().statusCode(202)
                .body("status", oneOf("running", "cancelled"));

        // the worker hears of it at once (pub/sub) or at its next lease extension: far sooner than the 30 s sleep
        JsonPath job = awaitFinished(id, "cancelled", Duration.ofSeconds(20));
        assertThat(job.getInt("attempts")).as("a cancelled job is not retried").isEqualTo(1);
        assertThat(job.getString("error")).isEqualTo("cancelled by request");
        long ran = millisBetween(job, "startedAt", "finishedAt");
        assertThat(ran).as("the attempt was stopped after " + ran + " ms").isLessThan(15_000);
    }

    @Test
    void aWaitingJobIsCancelledAtOnceAndAFinishedOneCannotBe() {
        String waiting = enqueue("""
                {"type": "echo", "queue": "%s", "delay": "PT1H", "payload": {}}
                """.formatted(queue));
        given().when().delete("/jobs/" + waiting)
                .then().statusCode(200)
                .body("status", equalTo("cancelled"));

        String done = enqueue("""
                {"type": "echo", "queue": "%s", "payload": {"n": 1}}
                """.formatted(queue));
        awaitFinished(done, "succeeded", FIRST_PICKUP);
        given().when().delete("/jobs/" + done)
                .then().statusCode(409)
                .body("jobStatus", equalTo("succeeded"));
    }
}
