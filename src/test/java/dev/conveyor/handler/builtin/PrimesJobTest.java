package dev.conveyor.handler.builtin;

import static dev.conveyor.testing.Jobs.FIRST_PICKUP;
import static dev.conveyor.testing.Jobs.awaitFinished;
import static dev.conveyor.testing.Jobs.enqueue;
import static dev.conveyor.testing.Jobs.run;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** {@code primes} through the real worker: count and list of the primes in [lowest, highest]. */
@QuarkusTest
class PrimesJobTest {

    private final String queue = uniqueQueue("primes");

    @Test
    void thePrimesUpTo100() {
        JsonPath job = run("""
                {"type": "primes", "queue": "%s", "payload": {"lowest": 1, "highest": 100}}
                """.formatted(queue), "succeeded");

        assertThat(job.getInt("result.count")).isEqualTo(25);
        List<Integer> primes = job.getList("result.primes", Integer.class);
        assertThat(primes).hasSize(25);
        assertThat(primes.subList(0, 5)).isEqualTo(List.of(2, 3, 5, 7, 11));
        assertThat(primes.get(24)).isEqualTo(97);
    }

    @Test
    void aRangeAwayFromZeroAndAWideOne() {
        String small = enqueue("""
                {"type": "primes", "queue": "%s", "payload": {"lowest": 1000000, "highest": 1000100}}
                """.formatted(queue));
        String wide = enqueue("""
                {"type": "primes", "queue": "%s", "payload": {"lowest": 0, "highest": 1000000}}
                """.formatted(queue));

        JsonPath job = awaitFinished(small, "succeeded", FIRST_PICKUP);
        assertThat(job.getInt("result.count")).isEqualTo(6);
        assertThat(job.getList("result.primes", Integer.class))
                .isEqualTo(List.of(1_000_003, 1_000_033, 1_000_037, 1_000_039, 1_000_081, 1_000_099));

        JsonPath widest = awaitFinished(wide, "succeeded", FIRST_PICKUP);
        assertThat(widest.getInt("result.count")).isEqualTo(78_498);
        assertThat(widest.getList("result.primes")).as("the answer lists the first primes only").hasSize(1000);
        assertThat(widest.getBoolean("result.truncated")).isTrue();
    }

    @Test
    void noPrimesBelowTwo() {
        JsonPath job = run("""
                {"type": "primes", "queue": "%s", "payload": {"lowest": 0, "highest": 1}}
                """.formatted(queue), "succeeded");

        assertThat(job.getInt("result.count")).isEqualTo(0);
        assertThat(job.getList("result.primes")).isEmpty();
    }
}
