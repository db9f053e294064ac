package dev.conveyor.handler.builtin;

import static dev.conveyor.testing.WorkerJobs.FIRST_PICKUP;
import static dev.conveyor.testing.WorkerJobs.awaitFinished;
import static dev.conveyor.testing.WorkerJobs.enqueue;
import static dev.conveyor.testing.WorkerJobs.uniqueQueue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** {@code primes} through the real worker: count and list of the primes in [lowest, highest]. */
@QuarkusTest
class PrimesJobTest {

    @Test
    void thePrimesUpTo100() {
        String queue = uniqueQueue("primes");
        String id = enqueue("""
                {"type": "primes", "queue": "%s", "payload": {"lowest": 1, "highest": 100}}
                """.formatted(queue));

        JsonPath job = awaitFinished(id, "succeeded", FIRST_PICKUP);

        assertEquals(25, job.getInt("result.count"));
        List<Integer> primes = job.getList("result.primes", Integer.class);
        assertEquals(25, primes.size());
        assertEquals(List.of(2, 3, 5, 7, 11), primes.subList(0, 5));
        assertEquals(97, primes.get(24));
    }

    @Test
    void aRangeAwayFromZeroAndAWideOne() {
        String queue = uniqueQueue("primes");
        String small = enqueue("""
                {"type": "primes", "queue": "%s", "payload": {"lowest": 1000000, "highest": 1000100}}
                """.formatted(queue));
        String wide = enqueue("""
                {"type": "primes", "queue": "%s", "payload": {"lowest": 0, "highest": 1000000}}
                """.formatted(queue));

        JsonPath job = awaitFinished(small, "succeeded", FIRST_PICKUP);
        assertEquals(6, job.getInt("result.count"));
        assertEquals(List.of(1_000_003, 1_000_033, 1_000_037, 1_000_039, 1_000_081, 1_000_099),
                job.getList("result.primes", Integer.class));

        JsonPath widest = awaitFinished(wide, "succeeded", FIRST_PICKUP);
        assertEquals(78_498, widest.getInt("result.count"));
        assertEquals(78_498, widest.getList("result.primes").size());
    }

    @Test
    void noPrimesBelowTwo() {
        String queue = uniqueQueue("primes");
        String id = enqueue("""
                {"type": "primes", "queue": "%s", "payload": {"lowest": 0, "highest": 1}}
                """.formatted(queue));

        JsonPath job = awaitFinished(id, "succeeded", FIRST_PICKUP);

        assertEquals(0, job.getInt("result.count"));
        assertEquals(List.of(), job.getList("result.primes"));
    }
}
