package dev.conveyor.observe;

import static dev.conveyor.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.net.URL;
import java.time.Duration;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.conveyor.testing.Jobs;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A configured budget is what Conveyor may use of a Redis that has no {@code maxmemory} (the test's Redis has none):
 * it is exported, and above its enqueue limit new jobs are refused. A budget of one byte is spent at once.
 */
@QuarkusTest
@TestProfile(MemoryBudgetTest.TinyBudget.class)
class MemoryBudgetTest {

    public static class TinyBudget implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("conveyor.queue.memory-budget", "1");
        }
    }

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void aBudgetWithoutMaxmemoryIsExportedAndRefusesNewJobsAboveItsLimit() {
        String job = "{\"type\":\"echo\",\"queue\":\"" + Jobs.uniqueQueue("budget") + "\"}";

        // the first enqueue starts the readings; from the first reading on, jobs are refused
        Awaitility.await("enqueues refused").atMost(Duration.ofSeconds(10))
                .until(() -> Jobs.post("/jobs", job).statusCode(), status -> status != 201);
        assertProblem(Jobs.post("/jobs", job).then(), 503)
                .body("type", equalTo("https://conveyor.dev/problems/unavailable"))
                .header("Retry-After", equalTo("1"));
        String text = RedisMemoryMetricsTest.scrape(metrics);
        assertThat(RedisMemoryMetricsTest.gauge(text, RedisMemoryMetricsTest.BUDGET)).isEqualTo(1.0);
        assertThat(RedisMemoryMetricsTest.gauge(text, RedisMemoryMetricsTest.USED)).isGreaterThan(1.0);
    }
}
