package dev.conveyor.observe;

import static dev.conveyor.testing.Jobs.awaitStatus;
import static dev.conveyor.testing.Jobs.enqueue;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** After running jobs, the Prometheus counters, histograms and gauges moved as docs/operations.md documents. */
@QuarkusTest
class MetricsTest {

    // management URLs are relative to the non-application root (/q)
    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void countersHistogramsAndGaugesFollowTheJobs() {
        String queue = uniqueQueue("metrics");
        String echo = enqueue("{\"type\":\"echo\",\"queue\":\"" + queue + "\",\"payload\":{\"a\":1}}");
        String flaky = enqueue("{\"type\":\"sleep\",\"queue\":\"" + queue + "\",\"payload\":{\"ms\":5,\"failTimes\":1},"
                + "\"maxAttempts\":2,\"backoff\":{\"initialDelay\":\"PT0.01S\"}}");
        String dead = enqueue("{\"type\":\"sleep\",\"queue\":\"" + queue + "\",\"payload\":{\"ms\":1,\"failTimes\":1,"
                + "\"retryable\":false}}");
        String slow = enqueue("{\"type\":\"sleep\",\"queue\":\"" + queue + "\",\"payload\":{\"ms\":5000},"
                + "\"timeout\":\"PT0.05S\",\"maxAttempts\":1}");
        for (String id : new String[] { echo, flaky }) {
            awaitStatus(id, "succeeded");
        }
        awaitStatus(dead, "failed");
        awaitStatus(slow, "failed");

        String q = "queue=\"" + queue + "\"";
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String text = scrape();
            assertThat(value(text, "conveyor_jobs_enqueued_total", q, "type=\"echo\"")).isEqualTo(1.0);
            assertThat(value(text, "conveyor_jobs_enqueued_total", q, "type=\"sleep\"")).isEqualTo(3.0);
            assertThat(value(text, "conveyor_jobs_finished_total", q, "type=\"echo\"", "outcome=\"succeeded\""))
                    .isEqualTo(1.0);
            assertThat(value(text, "conveyor_jobs_finished_total", q, "type=\"sleep\"", "outcome=\"retried\""))
                    .isEqualTo(1.0);
            assertThat(value(text, "conveyor_jobs_finished_total", q, "type=\"sleep\"", "outcome=\"succeeded\""))
                    .isEqualTo(1.0);
            assertThat(value(text, "conveyor_jobs_finished_total", q, "type=\"sleep\"", "outcome=\"failed\""))
                    .isEqualTo(1.0);
            assertThat(value(text, "conveyor_jobs_finished_total", q, "type=\"sleep\"", "outcome=\"timed_out\""))
                    .isEqualTo(1.0);
            // attempts: echo 1, flaky 2, dead 1, slow 1
            assertThat(value(text, "conveyor_job_duration_seconds_count", q, "type=\"sleep\"")).isEqualTo(4.0);
            assertThat(value(text, "conveyor_job_duration_seconds_bucket", q, "type=\"echo\"", "le=\"+Inf\""))
                    .isEqualTo(1.0);
            assertThat(value(text, "conveyor_job_wait_seconds_count", q, "type=\"echo\"")).isEqualTo(1.0);
            assertThat(value(text, "conveyor_queue_jobs", q, "status=\"succeeded\"")).isEqualTo(2.0);
            assertThat(value(text, "conveyor_queue_jobs", q, "status=\"failed\"")).isEqualTo(2.0);
            assertThat(text).contains("conveyor_worker_jobs_in_flight", "conveyor_worker_concurrency 10.0",
                    "conveyor_worker_utilization");
        });
    }

    private String scrape() {
        return given().when().get(metrics).then().statusCode(200).extract().asString();
    }

    /** The value of the one sample of {@code name} whose labels include all of {@code labels}; -1 when absent. */
    static double value(String text, String name, String... labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$").matcher(text);
        while (m.find()) {
            boolean all = true;
            for (String label : labels) {
                all &= m.group(1).contains(label);
            }
            if (all) {
                return Double.parseDouble(m.group(2));
            }
        }
        return -1;
    }

}
