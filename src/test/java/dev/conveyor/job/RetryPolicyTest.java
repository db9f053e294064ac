package dev.conveyor.job;

import static org.assertj.core.api.Assertions.assertThat;

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
        assertThat(test.ceilingMillis(1)).isEqualTo(50);
        assertThat(test.ceilingMillis(2)).isEqualTo(100);
        assertThat(test.ceilingMillis(3)).isEqualTo(200);
        assertThat(test.ceilingMillis(4)).isEqualTo(400);
        assertThat(test.ceilingMillis(5)).isEqualTo(400);
        assertThat(test.ceilingMillis(6)).isEqualTo(400);
        assertThat(test.ceilingMillis(100)).isEqualTo(400);
    }

    @Test
    void productionCeilingsDoubleFromOneSecondAndStopAtOneHour() {
        long expected = 1000;
        for (int attempt = 1; attempt <= 12; attempt++) {
            assertThat(production.ceilingMillis(attempt)).as("after attempt " + attempt).isEqualTo(expected);
            expected *= 2;
        }
        // 2^12 s = 4096 s is above the cap
        assertThat(production.ceilingMillis(13)).isEqualTo(3_600_000);
        assertThat(production.ceilingMillis(50)).isEqualTo(3_600_000);
    }

    @Test
    void hugeAttemptCountsDoNotOverflowPastTheCap() {
        for (int attempts : new int[] { 40, 41, 63, 64, 65, 100, 1000, Integer.MAX_VALUE }) {
            assertThat(production.ceilingMillis(attempts)).as("after attempt " + attempts).isEqualTo(3_600_000);
            assertThat(test.ceilingMillis(attempts)).as("after attempt " + attempts).isEqualTo(400);
        }
        RetryPolicy wide = new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(Long.MAX_VALUE));
        long previous = 0;
        for (int attempt = 1; attempt <= 200; attempt++) {
            long ceiling = wide.ceilingMillis(attempt);
            assertThat(ceiling >= previous && ceiling > 0).as("after attempt " + attempt + ": " + ceiling).isTrue();
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
                assertThat(ceiling).as(policy + " attempt " + attempt).isGreaterThanOrEqualTo(previous);
                assertThat(ceiling).as(policy + " attempt " + attempt)
                        .isLessThanOrEqualTo(policy.maxDelay().toMillis());
                previous = ceiling;
            }
            assertThat(policy.ceilingMillis(80)).as(policy.toString()).isEqualTo(policy.maxDelay().toMillis());
        }
    }

    @Test
    void anInitialDelayAboveTheCapIsCapped() {
        RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(10), Duration.ofSeconds(2));
        assertThat(policy.ceilingMillis(1)).isEqualTo(2000);
        assertThat(policy.ceilingMillis(5)).isEqualTo(2000);
    }

    @Test
    void noInitialDelayMeansRetryingAtOnce() {
        RetryPolicy policy = new RetryPolicy(Duration.ZERO, Duration.ofSeconds(1));
        for (int attempt = 1; attempt < 10; attempt++) {
            assertThat(policy.delayAfter(attempt)).isEqualTo(Duration.ZERO);
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
                assertThat(delay).as("attempt " + attempt + ": " + delay + " ms").isBetween(0L, ceiling);
                min = Math.min(min, delay);
                max = Math.max(max, delay);
                sum += delay;
                distinct.add(delay);
            }
            // full jitter: uniform over [0, ceiling]; 20 000 draws over at most 401 values reach both ends
            assertThat(min).as("attempt " + attempt).isEqualTo(0);
            assertThat(max).as("attempt " + attempt).isEqualTo(ceiling);
            assertThat(distinct).as("attempt " + attempt).hasSize((int) ceiling + 1);
            double mean = (double) sum / samples;
            assertThat(Math.abs(mean - ceiling / 2.0))
                    .as("attempt " + attempt + ": mean " + mean + " for ceiling " + ceiling)
                    .isLessThan(ceiling * 0.05 + 1);
        }
    }

    @Test
    void productionDelaysStayBelowTheirCeilings() {
        for (int attempt = 1; attempt <= 20; attempt++) {
            long ceiling = production.ceilingMillis(attempt);
            for (int i = 0; i < 2000; i++) {
                long delay = production.delayAfter(attempt).toMillis();
                assertThat(delay).as("attempt " + attempt + ": " + delay + " ms").isBetween(0L, ceiling);
            }
        }
    }
}
