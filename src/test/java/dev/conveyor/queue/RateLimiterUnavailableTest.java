package dev.conveyor.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.conveyor.testing.RedisDownProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** With Redis unreachable, a rate limit check fails as every store call does: quickly, as "unavailable" (a 503). */
@QuarkusTest
@TestProfile(RedisDownProfile.class)
class RateLimiterUnavailableTest {

    @Inject
    RateLimiter limiter;

    @Test
    void failsAsRedisUnavailableWithinTheRedisTimeout() {
        long started = System.nanoTime();

        assertThatThrownBy(() -> limiter.take("client", 10, Duration.ofSeconds(1), 1).await()
                .atMost(Duration.ofSeconds(10))).isInstanceOf(RedisUnavailableException.class);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }
}
