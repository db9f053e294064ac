package dev.conveyor.observe;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * The queue-depth gauge the autoscalers read is never stale: the first scrape after start-up already shows it, and
 * while it is scraped it follows Redis within about two seconds without waiting for the next scrape. Jobs go to
 * queues the worker does not serve, so they stay queued.
 */
@QuarkusTest
@TestProfile(QueueDepthGaugeTest.OwnStart.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QueueDepthGaugeTest {

    /** A profile of its own, so that this class starts its own application and sees its first scrape. */
    public static class OwnStart implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("conveyor.worker.queues", "default");
        }
    }

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Inject
    MeterRegistry registry;

    @Test
    @Order(1)
    void firstScrapeAfterStartUpShowsTheDepthOfEveryQueue() {
        String queue = uniqueQueue();
        enqueue(queue, 3);

        String text = scrape();

        assertThat(MetricsTest.value(text, "conveyor_queue_jobs", "queue=\"default\"", "status=\"queued\""))
                .isGreaterThanOrEqualTo(0.0);
        assertThat(MetricsTest.value(text, "conveyor_queue_jobs", "queue=\"" + queue + "\"", "status=\"queued\""))
                .isEqualTo(3.0);
    }

    @Test
    @Order(2)
    void whileScrapedTheGaugeFollowsABurstWithinTwoSecondsWithoutAnotherScrape() {
        scrape();
        String queue = uniqueQueue();
        enqueue(queue, 50);

        // read in process, not scraped: a scrape would itself wait for fresh counts
        Awaitility.await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(queued(queue)).isEqualTo(50.0));
        assertThat(MetricsTest.value(scrape(), "conveyor_queue_jobs", "queue=\"" + queue + "\"", "status=\"queued\""))
                .isEqualTo(50.0);
    }

    private double queued(String queue) {
        Gauge gauge = registry.find("conveyor.queue.jobs").tags("queue", queue, "status", "queued").gauge();
        return gauge == null ? -1 : gauge.value();
    }

    private String scrape() {
        return given().when().get(metrics).then().statusCode(200).extract().asString();
    }

    private static String uniqueQueue() {
        return "depth-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** {@code count} jobs in one batch, which the worker leaves alone (it serves only the default queue). */
    private static void enqueue(String queue, int count) {
        StringBuilder jobs = new StringBuilder();
        for (int i = 0; i < count; i++) {
            jobs.append(i == 0 ? "" : ",").append("{\"type\":\"echo\",\"queue\":\"").append(queue).append("\"}");
        }
        given().contentType(ContentType.JSON).body("{\"jobs\":[" + jobs + "]}").when().post("/jobs/batch")
                .then().statusCode(201);
    }
}
