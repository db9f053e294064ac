package dev.conveyor.handler.builtin;

import static org.assertj.core.api.Assertions.assertThat;

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
        assertThat(PrimesHandler.primesBetween(0, 100)).hasSize(25);
        assertThat(PrimesHandler.primesBetween(0, 1000)).hasSize(168);
        assertThat(PrimesHandler.primesBetween(0, 10_000)).hasSize(1229);
        assertThat(PrimesHandler.primesBetween(1, 100_000)).hasSize(9592);
        assertThat(PrimesHandler.primesBetween(0, 1_000_000)).hasSize(78_498);
    }

    @Test
    void thePrimesBelow100() {
        assertThat(PrimesHandler.primesBetween(0, 100)).containsExactly(2L, 3L, 5L, 7L, 11L, 13L, 17L, 19L, 23L, 29L,
                31L, 37L, 41L, 43L, 47L, 53L, 59L, 61L, 67L, 71L, 73L, 79L, 83L, 89L, 97L);
    }

    @Test
    void edgesAtZeroOneAndTwo() {
        assertThat(PrimesHandler.primesBetween(0, 0)).isEmpty();
        assertThat(PrimesHandler.primesBetween(0, 1)).isEmpty();
        assertThat(PrimesHandler.primesBetween(1, 1)).isEmpty();
        assertThat(PrimesHandler.primesBetween(0, 2)).isEqualTo(List.of(2L));
        assertThat(PrimesHandler.primesBetween(2, 2)).isEqualTo(List.of(2L));
        assertThat(PrimesHandler.primesBetween(1, 3)).isEqualTo(List.of(2L, 3L));
        assertThat(PrimesHandler.primesBetween(3, 3)).isEqualTo(List.of(3L));
        assertThat(PrimesHandler.primesBetween(4, 4)).isEmpty();
    }

    @Test
    void boundsAreInclusive() {
        assertThat(PrimesHandler.primesBetween(97, 97)).isEqualTo(List.of(97L));
        assertThat(PrimesHandler.primesBetween(89, 97)).isEqualTo(List.of(89L, 97L));
        assertThat(PrimesHandler.primesBetween(90, 96)).isEmpty();
        // squares of primes are composite, the primes just above them are found
        assertThat(PrimesHandler.primesBetween(49, 49)).isEmpty();
        assertThat(PrimesHandler.primesBetween(121, 127)).isEqualTo(List.of(127L));
        assertThat(PrimesHandler.primesBetween(1_000_000L * 1_000_000L, 1_000_000L * 1_000_000L)).isEmpty();
    }

    @Test
    void anEmptyRangeHasNoPrimes() {
        assertThat(PrimesHandler.primesBetween(100, 50)).isEmpty();
    }

    @Test
    void aRangeAwayFromZero() {
        assertThat(PrimesHandler.primesBetween(1_000_000, 1_000_100))
                .isEqualTo(List.of(1_000_003L, 1_000_033L, 1_000_037L, 1_000_039L, 1_000_081L, 1_000_099L));
        // pi(2 000 000) - pi(1 000 000) = 148 933 - 78 498
        assertThat(PrimesHandler.primesBetween(1_000_001, 2_000_000)).hasSize(70_435);
    }

    @Test
    void agreesWithTrialDivisionOnRandomRanges() {
        Random random = new Random(2024);
        for (int i = 0; i < 300; i++) {
            long lowest = random.nextLong(2_000_000);
            long highest = lowest + random.nextLong(3000);
            assertThat(PrimesHandler.primesBetween(lowest, highest)).as("[" + lowest + ", " + highest + "]")
                    .isEqualTo(trialDivision(lowest, highest));
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
        assertThat(expected.size()).as("a window of 20 000 near 1e12 holds about 720 primes").isGreaterThan(100);
        assertThat(PrimesHandler.primesBetween(lowest, highest)).isEqualTo(expected);
    }

    @Test
    void theWidestAllowedRangeAtTheTopIsSieved() {
        long highest = PrimesHandler.MAX_VALUE;
        List<Long> primes = PrimesHandler.primesBetween(highest - PrimesHandler.MAX_RANGE, highest);
        // about 1e6 / ln(1e12) = 36 191 primes
        assertThat(primes.size()).as("count " + primes.size()).isGreaterThan(35_000).isLessThan(37_500);
        for (int i = 0; i < primes.size(); i += 997) {
            assertThat(BigInteger.valueOf(primes.get(i)).isProbablePrime(40)).as(primes.get(i) + " is not prime")
                    .isTrue();
        }
        for (int i = 1; i < primes.size(); i++) {
            assertThat(primes.get(i)).isGreaterThan(primes.get(i - 1));
        }
    }

    @Test
    void handleAnswersCountAndPrimes() {
        PrimesHandler handler = new PrimesHandler();
        PrimesHandler.Result result = handler.handle(new PrimesHandler.Payload(10L, 30L),
                new JobContext("default.01ARYZ6S41TSV4RRFFQ69G5FAV", "default", 1, 3, java.time.Instant.now().plusSeconds(60))).await().indefinitely();
        assertThat(result.count()).isEqualTo(6);
        assertThat(result.primes()).isEqualTo(List.of(11L, 13L, 17L, 19L, 23L, 29L));
        assertThat(handler.blocking()).as("the sieve burns CPU: it must run off the event loop").isTrue();
        assertThat(handler.type()).isEqualTo("primes");
    }

    @Test
    void aWideRangeAnswersTheCountAndOnlyTheFirstPrimes() {
        PrimesHandler.Result result = new PrimesHandler().handle(new PrimesHandler.Payload(0L, 1_000_000L),
                new JobContext("default.01ARYZ6S41TSV4RRFFQ69G5FAV", "default", 1, 3, java.time.Instant.now().plusSeconds(60))).await().indefinitely();
        assertThat(result.count()).isEqualTo(78_498);
        assertThat(result.primes()).hasSize(PrimesHandler.MAX_LISTED)
                .isEqualTo(PrimesHandler.primesBetween(0, 1_000_000).subList(0, PrimesHandler.MAX_LISTED));
        assertThat(result.truncated()).isTrue();
    }

    @Test
    void aNarrowRangeIsNotTruncated() {
        PrimesHandler.Result result = new PrimesHandler().handle(new PrimesHandler.Payload(0L, 100L),
                new JobContext("default.01ARYZ6S41TSV4RRFFQ69G5FAV", "default", 1, 3, java.time.Instant.now().plusSeconds(60))).await().indefinitely();
        assertThat(result.primes()).hasSize(25);
        assertThat(result.truncated()).isFalse();
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
