package dev.conveyor.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Per-client rate limits in the real Redis: the burst, the wait a refusal answers, requests above the burst, one
 * limit per client, and a key that expires when its limit is whole again.
 */
@QuarkusTest
@TestProfile(StoreOnlyProfile.class)
class RateLimiterTest {

    private static final Duration SECOND = Duration.ofSeconds(1);
    /** 10 per 5 s: one request every 500 ms, slow enough for a loaded machine to see each step. */
    private static final Duration FIVE_SECONDS = Duration.ofSeconds(5);
    private static final Duration HOUR = Duration.ofHours(1);

    @Inject
    RateLimiter limiter;

    @Inject
    KeySpace keys;

    @Inject
    Scripts scripts;

    @Inject
    RedisDataSource redis;

    final String client = "client-" + UUID.randomUUID();

    private Duration take(String who, long count, Duration per, long cost) {
        return limiter.take(who, count, per, cost).await().atMost(StoreSupport.CALL);
    }

    @Test
    void theBurstPassesThenTheNextIsRefusedWithTheWaitForOneMore() {
        for (int i = 0; i < 50; i++) {
            assertThat(take(client, 50, HOUR, 1)).as("request %d of the burst", i + 1).isZero();
        }

        Duration wait = take(client, 50, HOUR, 1);
        Duration again = take(client, 50, HOUR, 1);

        // one request drains in 3600 s / 50 = 72 s, measured from the first of the burst
        assertThat(wait).isBetween(Duration.ofSeconds(65), Duration.ofSeconds(72));
        assertThat(again).as("a refused request is not counted").isBetween(wait.minusSeconds(1), wait);
    }

    @Test
    void aRequestRefusedWithAWaitPassesOnceThatWaitIsOverAndNotBefore() {
        for (int i = 0; i < 10; i++) {
            assertThat(take(client, 10, FIVE_SECONDS, 1)).isZero();
        }
        long refusedAt = System.nanoTime();
        Duration wait = take(client, 10, FIVE_SECONDS, 1);
        assertThat(wait).as("one request drains in 500 ms").isPositive().isLessThanOrEqualTo(Duration.ofMillis(500));
        assertThat(take(client, 10, FIVE_SECONDS, 3).minus(wait)).as("three requests need 1 s more than one")
                .isBetween(Duration.ofMillis(900), Duration.ofMillis(1001));

        AtomicLong passedAt = new AtomicLong();
        Awaitility.await("a retry to pass").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                .until(() -> {
                    boolean passed = take(client, 10, FIVE_SECONDS, 1).isZero();
                    passedAt.set(System.nanoTime());
                    return passed;
                });

        Duration waited = Duration.ofNanos(passedAt.get() - refusedAt);
        // Redis' clock counts whole ms: the retry may pass up to 1 ms before the wait as this process measures it
        assertThat(waited).as("waited for a wait of %s", wait).isBetween(wait.minusMillis(2), wait.plusSeconds(1));
    }

    @Test
    void aRequestAboveTheBurstPassesOnlyWhenTheLimitIsWhole() {
        String fresh = client + "-fresh";
        assertThat(take(fresh, 10, HOUR, 25)).as("25 on a whole limit of 10").isZero();
        // 25 requests drain in 25 x 360 s; one more fits once 9 are left, after 16 x 360 s
        assertThat(take(fresh, 10, HOUR, 1)).isBetween(Duration.ofSeconds(16 * 360 - 5), Duration.ofSeconds(16 * 360));
        assertThat(take(fresh, 10, HOUR, 25)).as("the next 25 wait until the limit is whole")
                .isBetween(Duration.ofSeconds(25 * 360 - 5), Duration.ofSeconds(25 * 360));

        assertThat(take(client, 10, HOUR, 1)).isZero();
        assertThat(take(client, 10, HOUR, 25)).as("25 on a limit with one request taken")
                .isBetween(Duration.ofSeconds(355), Duration.ofSeconds(360));

        String quick = client + "-quick";
        assertThat(take(quick, 10, FIVE_SECONDS, 1)).isZero();
        assertThat(take(quick, 10, FIVE_SECONDS, 25)).as("refused until the limit is whole").isPositive();
        Awaitility.await("25 on a limit of 10 per 5 s to pass once it is whole again").atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(10)).until(() -> take(quick, 10, FIVE_SECONDS, 25).isZero());
        // 25 requests drain in 12.5 s; one more fits once 9 are left, after 8 s
        assertThat(take(quick, 10, FIVE_SECONDS, 1)).as("then the 25 are waited out")
                .isBetween(Duration.ofSeconds(7), Duration.ofSeconds(8));
    }

    @Test
    void twoClientsDoNotShareALimit() {
        String other = client + "-other";
        for (int i = 0; i < 5; i++) {
            assertThat(take(client, 5, HOUR, 1)).isZero();
        }
        assertThat(take(client, 5, HOUR, 1)).isPositive();

        for (int i = 0; i < 5; i++) {
            assertThat(take(other, 5, HOUR, 1)).as("the other client's request %d", i + 1).isZero();
        }
        assertThat(take(other, 5, HOUR, 1)).isPositive();
    }

    @Test
    void theKeyHasItsOwnHashTagAndExpiresWhenTheLimitIsWholeAgain() {
        String key = keys.rateLimit(client);
        assertThat(key).isEqualTo("conveyor:{rate:" + client + "}");

        assertThat(take(client, 10, HOUR, 1)).isZero();
        assertThat(pttl(key)).as("whole again after one request drained: 360 s")
                .isBetween(355_000L, 360_000L);

        assertThat(take(client, 10, HOUR, 9)).isZero();
        assertThat(pttl(key)).as("whole again after ten requests drained: 3600 s")
                .isBetween(3_595_000L, 3_600_000L);

        long before = pttl(key);
        assertThat(take(client, 10, HOUR, 1)).isPositive();
        assertThat(pttl(key)).as("a refusal writes nothing").isLessThanOrEqualTo(before);
    }

    @Test
    void theScriptNamesEveryKeyItTouchesInItsContract() {
        String source = scripts.rateLimit.source(true);
        Set<String> declared = new TreeSet<>();
        Matcher header = Pattern.compile("(?m)^-- (KEYS\\[\\d+\\])").matcher(source);
        while (header.find()) {
            declared.add(header.group(1));
        }
        Set<String> touched = new TreeSet<>();
        List<String> otherKeys = new ArrayList<>();
        Matcher call = Pattern.compile("redis\\.call\\('(\\w+)'(?:, *([^,)]+))?").matcher(source);
        while (call.find()) {
            if (call.group(1).equals("TIME")) {
                continue;
            }
            String key = call.group(2);
            (key != null && key.matches("KEYS\\[\\d+\\]") ? touched : otherKeys).add(call.group(1) + " " + key);
        }

        assertThat(otherKeys).as("commands on a key not from KEYS").isEmpty();
        assertThat(touched).as("the commands of the script").containsExactly("GET KEYS[1]", "SET KEYS[1]");
        assertThat(declared).containsExactly("KEYS[1]");
    }

    @Test
    void refusesFiguresItCannotCount() {
        assertThatThrownBy(() -> limiter.take(client, 0, SECOND, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> limiter.take(client, 10, SECOND, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> limiter.take(client, 10, Duration.ofNanos(10), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> limiter.take(client, 2_000_000_000L, HOUR, 1_000_000_000L))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> limiter.take(client, Long.MAX_VALUE, HOUR, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(take(client, 1_000_000_000L, HOUR, 1000)).as("the largest rate a keys file can state").isZero();
    }

    private long pttl(String key) {
        return redis.execute("PTTL", key).toLong();
    }
}
