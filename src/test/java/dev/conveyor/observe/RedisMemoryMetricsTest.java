package dev.conveyor.observe;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.URL;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.conveyor.testing.RedisNodes;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.core.Vertx;

/**
 * Redis' memory use and Conveyor's budget are exported for alerts and sizing, and follow Redis within seconds: the
 * budget is Redis' {@code maxmemory} when no {@code conveyor.queue.memory-budget} is set, and none without it. On a
 * cluster every node gets the same {@code maxmemory}, and the gauges follow the fullest primary.
 */
@QuarkusTest
class RedisMemoryMetricsTest {

    static final String USED = "conveyor_redis_memory_used_bytes";
    static final String BUDGET = "conveyor_redis_memory_budget_bytes";
    private static final long GIB = 1L << 30;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Inject
    Vertx vertx;

    private RedisNodes nodes;

    @BeforeEach
    void connectNodes() {
        nodes = new RedisNodes(vertx);
    }

    @AfterEach
    void noMaxmemory() {
        try {
            nodes.sendToEach("CONFIG", "SET", "maxmemory", "0");
        } finally {
            nodes.close();
        }
    }

    @Test
    void usedMemoryAndTheBudgetFollowRedis() {
        nodes.sendToEach("CONFIG", "SET", "maxmemory", Long.toString(GIB));

        Awaitility.await("the gauges to show maxmemory").atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            String text = scrape(metrics);
            assertThat(gauge(text, BUDGET)).isEqualTo((double) GIB);
            assertThat(gauge(text, USED)).isCloseTo((double) nodes.usedMemory(), within(nodes.usedMemory() * 0.2));
        });

        nodes.sendToEach("CONFIG", "SET", "maxmemory", "0");
        Awaitility.await("no budget without maxmemory").atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(gauge(scrape(metrics), BUDGET)).isNaN());
    }

    static String scrape(URL metrics) {
        return given().when().get(metrics).then().statusCode(200).extract().asString();
    }

    /** The value of a gauge without labels; fails when the scrape has none. */
    static double gauge(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(text);
        assertThat(m.find()).as(name + " in /q/metrics").isTrue();
        return Double.parseDouble(m.group(1));
    }
}
