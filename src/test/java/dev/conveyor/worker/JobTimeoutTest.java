package dev.conveyor.worker;

import static dev.conveyor.testing.Jobs.millisBetween;
import static dev.conveyor.testing.Jobs.run;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** A job's own timeout cuts an attempt short; the timeout is a retryable failure. */
@QuarkusTest
class JobTimeoutTest {

    private final String queue = uniqueQueue("timeout");

    @Test
    void anAttemptPastItsTimeoutFails() {
        JsonPath job = run("""
                {"type": "sleep", "queue": "%s", "maxAttempts": 1, "timeout": "PT0.2S", "payload": {"ms": 5000}}
                """.formatted(queue), "failed");

        assertThat(job.getInt("attempts")).isEqualTo(1);
        assertThat(job.getString("error")).isEqualTo("timed out after PT0.2S");
        assertThat(job.getString("timeout")).isEqualTo("PT0.2S");
        assertThat(job.getString("result")).isNull();
        long ran = millisBetween(job, "startedAt", "finishedAt");
        assertThat(ran).as("the attempt took " + ran + " ms").isGreaterThanOrEqualTo(200).isLessThan(2000);
    }

    @Test
    void aTimeoutIsRetried() {
        JsonPath job = run("""
                {"type": "sleep", "queue": "%s", "maxAttempts": 2, "timeout": "PT0.2S", "payload": {"ms": 5000}}
                """.formatted(queue), "failed");

        assertThat(job.getInt("attempts")).isEqualTo(2);
        assertThat(job.getString("error")).isEqualTo("timed out after PT0.2S");
        // both attempts were cut short: well under one full 5 s sleep from the first start
        long total = millisBetween(job, "runAt", "finishedAt");
        assertThat(total).as("the retried attempt ended " + total + " ms after its retry time").isLessThan(2500);
    }

    @Test
    void aJobWithinItsTimeoutSucceeds() {
        JsonPath job = run("""
                {"type": "sleep", "queue": "%s", "maxAttempts": 1, "timeout": "PT3S", "payload": {"ms": 100}}
                """.formatted(queue), "succeeded");

        assertThat(job.getInt("result.sleptMs")).isEqualTo(100);
    }

    @Test
    void aTimeoutAlsoAppliesToABlockingHandler() {
        // the widest range near 1e12 takes well over 1 ms to sieve
        JsonPath job = run("""
                {"type": "primes", "queue": "%s", "maxAttempts": 1, "timeout": "PT0.001S",
                 "payload": {"lowest": 999999000000, "highest": 1000000000000}}
                """.formatted(queue), "failed");

        assertThat(job.getString("error")).isEqualTo("timed out after PT0.001S");
    }
}
