package dev.conveyor.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    /** The %test settings of application.properties. */
    private final RetryPolicy test = new RetryPolicy(Duration.ofMillis(50), Duration.ofMillis(400));
    /** The production defaults. */
    private final RetryPolicy production = new RetryPolicy(Duration.ofSeconds(1), Duration.ofHours(1));

    @Test
    void theCeilingDoublesAfterEachFailedAttemptUntilTheCap() {
        assertEquals(50, test.ceilingMillis(1));
        assertEquals(100, test.ceilingMillis(2));
        assertEquals(200, test.ceilingMillis(3));
        assertEquals(400, test.ceilingMillis(4));
        assertEquals(400, test.ceilingMillis(5));
        assertEquals(400, test.ceilingMillis(6));
        assertEquals(400, test.ceilingMillis(100));
    }

    @Test
    void productionCeilingsDoubleFromOneSecondAndStopAtOneHour() {
        long expected = 1000;
        for (int attempt = 1; attempt <= 12; attempt++) {
            assertEquals(expected, production.ceilingMillis(attempt), "after attempt " + attempt);
            expected *= 2;
        }
        // 2^12 s = 4096 s is above the cap
        assertEquals(3_600_000, production.ceilingMillis(13));
        assertEquals(3_600_000, production.ceilingMillis(50));
    }

    @Test
    void hugeAttemptCountsDoNotOverflowPastTheCap() {
        for (int attempts : new int[] { 40, 41, 63, 64, 65, 100, 1000, Integer.MAX_VALUE }) {
            assertEquals(3_600_000, production.ceilingMillis(attempts), "after attempt " + attempts);
            assertEquals(400, test.ceilingMillis(attempts), "after attempt " + attempts);
        }
        RetryPolicy wide = new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(Long.MAX_VALUE));
        long previous = 0;
        for (int attempt = 1; attempt <= 200; attempt++) {
            long ceiling = wide.ceilingMillis(attempt);
            assertTrue(ceiling >= previous && ceiling > 0, "after attempt " + attempt + ": " + ceiling);
            previous = ceiling;
        }
    }

    @Test
    void ceilingsNeverDecreaseAndNeverExceedTheCap() {
        for (RetryPolicy policy : new RetryPolicy[] { test, production,
                new RetryPolicy(Duration.ofMillis(3), Duration.ofMillis(1000)),
                new RetryPolicy(Duration.ofMillis(7), Duration.ofMillis(450)) }) {
            long previous = 0;
            for (int attempt = 1; attempt <= 80; attempt++) {
                long ceiling = policy.ceilingMillis(attempt);
                assertTrue(ceiling >= previous, policy + " attempt " + attempt);
                assertTrue(ceiling <= policy.maxDelay().toMillis(), policy + " attempt " + attempt);
                previous = ceiling;
            }
            assertEquals(policy.maxDelay().toMillis(), policy.ceilingMillis(80), policy.toString());
        }
    }

    @Test
    void anInitialDelayAboveTheCapIsCapped() {
        RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(10), Duration.ofSeconds(2));
        assertEquals(2000, policy.ceilingMillis(1));
        assertEquals(2000, policy.ceilingMillis(5));
    }

    @Test
    void noInitialDelayMeansRetryingAtOnce() {
        RetryPolicy policy = new RetryPolicy(Duration.ZERO, Duration.ofSeconds(1));
        for (int attempt = 1; attempt < 10; attempt++) {
            assertEquals(Duration.ZERO, policy.delayAfter(attempt));
        }
    }

    @Test
    void delaysAreWithinZeroAndTheCeilingBothIncluded() {
        for (int attempt = 1; attempt <= 6; attempt++) {
            long ceiling = test.ceilingMillis(attempt);
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            long sum = 0;
            int samples = 20_000;
            Set<Long> distinct = new HashSet<>();
            for (int i = 0; i < samples; i++) {
                long delay = test.delayAfter(attempt).toMillis();
                assertTrue(delay >= 0 && delay <= ceiling, "attempt " + attempt + ": " + delay + " ms");
                min = Math.min(min, delay);
                max = Math.max(max, delay);
                sum += delay;
                distinct.add(delay);
            }
            // full jitter: uniform over [0, ceiling]; 20 000 draws over at most 401 values reach both ends
            assertEquals(0, min, "attempt " + attempt);
            assertEquals(ceiling, max, "attempt " + attempt);
            assertEquals(ceiling + 1, distinct.size(), "attempt " + attempt);
            double mean = (double) sum / samples;
            assertTrue(Math.abs(mean - ceiling / 2.0) < ceiling * 0.05 + 1,
                    "attempt " + attempt + ": mean " + mean + " for ceiling " + ceiling);
        }
    }

    @Test
    void productionDelaysStayBelowTheirCeilings() {
        for (int attempt = 1; attempt <= 20; attempt++) {
            long ceiling = production.ceilingMillis(attempt);
            for (int i = 0; i < 2000; i++) {
                long delay = production.delayAfter(attempt).toMillis();
                assertTrue(delay >= 0 && delay <= ceiling, "attempt " + attempt + ": " + delay + " ms");
            }
        }
    }
}
