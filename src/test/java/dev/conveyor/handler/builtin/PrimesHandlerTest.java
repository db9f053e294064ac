package dev.conveyor.handler.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.conveyor.handler.JobContext;

/** The sieve of the {@code primes} handler, without Quarkus. */
class PrimesHandlerTest {

    @Test
    void knownCountsFromZero() {
        assertEquals(25, PrimesHandler.primesBetween(0, 100).size());
        assertEquals(168, PrimesHandler.primesBetween(0, 1000).size());
        assertEquals(1229, PrimesHandler.primesBetween(0, 10_000).size());
        assertEquals(9592, PrimesHandler.primesBetween(1, 100_000).size());
        assertEquals(78_498, PrimesHandler.primesBetween(0, 1_000_000).size());
    }

    @Test
    void thePrimesBelow100() {
        assertEquals(List.of(2L, 3L, 5L, 7L, 11L, 13L, 17L, 19L, 23L, 29L, 31L, 37L, 41L, 43L, 47L, 53L, 59L, 61L, 67L,
                71L, 73L, 79L, 83L, 89L, 97L), PrimesHandler.primesBetween(0, 100));
    }

    @Test
    void edgesAtZeroOneAndTwo() {
        assertEquals(List.of(), PrimesHandler.primesBetween(0, 0));
        assertEquals(List.of(), PrimesHandler.primesBetween(0, 1));
        assertEquals(List.of(), PrimesHandler.primesBetween(1, 1));
        assertEquals(List.of(2L), PrimesHandler.primesBetween(0, 2));
        assertEquals(List.of(2L), PrimesHandler.primesBetween(2, 2));
        assertEquals(List.of(2L, 3L), PrimesHandler.primesBetween(1, 3));
        assertEquals(List.of(3L), PrimesHandler.primesBetween(3, 3));
        assertEquals(List.of(), PrimesHandler.primesBetween(4, 4));
    }

    @Test
    void boundsAreInclusive() {
        assertEquals(List.of(97L), PrimesHandler.primesBetween(97, 97));
        assertEquals(List.of(89L, 97L), PrimesHandler.primesBetween(89, 97));
        assertEquals(List.of(), PrimesHandler.primesBetween(90, 96));
        // squares of primes are composite, the primes just above them are found
        assertEquals(List.of(), PrimesHandler.primesBetween(49, 49));
        assertEquals(List.of(127L), PrimesHandler.primesBetween(121, 127));
        assertEquals(List.of(), PrimesHandler.primesBetween(1_000_000L * 1_000_000L, 1_000_000L * 1_000_000L));
    }

    @Test
    void anEmptyRangeHasNoPrimes() {
        assertEquals(List.of(), PrimesHandler.primesBetween(100, 50));
    }

    @Test
    void aRangeAwayFromZero() {
        assertEquals(List.of(1_000_003L, 1_000_033L, 1_000_037L, 1_000_039L, 1_000_081L, 1_000_099L),
                PrimesHandler.primesBetween(1_000_000, 1_000_100));
        // pi(2 000 000) - pi(1 000 000) = 148 933 - 78 498
        assertEquals(70_435, PrimesHandler.primesBetween(1_000_001, 2_000_000).size());
    }

    @Test
    void agreesWithTrialDivisionOnRandomRanges() {
        Random random = new Random(2024);
        for (int i = 0; i < 300; i++) {
            long lowest = random.nextLong(2_000_000);
            long highest = lowest + random.nextLong(3000);
            assertEquals(trialDivision(lowest, highest), PrimesHandler.primesBetween(lowest, highest),
                    "[" + lowest + ", " + highest + "]");
        }
    }

    @Test
    void agreesWithAProbablePrimeTestNearTheLargestAllowedValue() {
        long highest = PrimesHandler.MAX_VALUE;
        long lowest = highest - 20_000;
        List<Long> expected = new ArrayList<>();
        for (long n = lowest; n <= highest; n++) {
            if (BigInteger.valueOf(n).isProbablePrime(40)) {
                expected.add(n);
            }
        }
        assertTrue(expected.size() > 100, "a window of 20 000 near 1e12 holds about 720 primes");
        assertEquals(expected, PrimesHandler.primesBetween(lowest, highest));
    }

    @Test
    void theWidestAllowedRangeAtTheTopIsSieved() {
        long highest = PrimesHandler.MAX_VALUE;
        List<Long> primes = PrimesHandler.primesBetween(highest - PrimesHandler.MAX_RANGE, highest);
        // about 1e6 / ln(1e12) = 36 191 primes
        assertTrue(primes.size() > 35_000 && primes.size() < 37_500, "count " + primes.size());
        for (int i = 0; i < primes.size(); i += 997) {
            assertTrue(BigInteger.valueOf(primes.get(i)).isProbablePrime(40), primes.get(i) + " is not prime");
        }
        for (int i = 1; i < primes.size(); i++) {
            assertTrue(primes.get(i) > primes.get(i - 1));
        }
    }

    @Test
    void handleAnswersCountAndPrimes() {
        PrimesHandler handler = new PrimesHandler();
        PrimesHandler.Result result = handler.handle(new PrimesHandler.Payload(10L, 30L),
                new JobContext("default.01ARYZ6S41TSV4RRFFQ69G5FAV", "default", 1, 3, java.time.Instant.now().plusSeconds(60))).await().indefinitely();
        assertEquals(6, result.count());
        assertEquals(List.of(11L, 13L, 17L, 19L, 23L, 29L), result.primes());
        assertTrue(handler.blocking(), "the sieve burns CPU: it must run off the event loop");
        assertEquals("primes", handler.type());
    }

    private static List<Long> trialDivision(long lowest, long highest) {
        List<Long> primes = new ArrayList<>();
        for (long n = Math.max(2, lowest); n <= highest; n++) {
            boolean prime = true;
            for (long d = 2; d * d <= n; d++) {
                if (n % d == 0) {
                    prime = false;
                    break;
                }
            }
            if (prime) {
                primes.add(n);
            }
        }
        return primes;
    }
}
