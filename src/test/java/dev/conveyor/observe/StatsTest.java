package dev.conveyor.observe;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** GET /stats reflects jobs by queue, by type, recent failures and throughput. */
@QuarkusTest
class StatsTest {

    @Test
    void statsCountWhatHappened() {
        String queue = "stats-" + UUID.randomUUID().toString().substring(0, 8);
        String ok = enqueue("{\"type\":\"echo\",\"queue\":\"" + queue + "\"}");
        String dead = enqueue("{\"type\":\"sleep\",\"queue\":\"" + queue + "\",\"payload\":{\"ms\":1,\"failTimes\":1,"
                + "\"retryable\":false}}");
        awaitStatus(ok, "succeeded");
        awaitStatus(dead, "failed");

        given().queryParam("minutes", 5).when().get("/stats").then().statusCode(200)
                .body("queues.'" + queue + "'.counts.succeeded", equalTo(1))
                .body("queues.'" + queue + "'.counts.failed", equalTo(1))
                .body("byType.echo.enqueued", greaterThanOrEqualTo(1))
                .body("byType.sleep.failed", greaterThanOrEqualTo(1))
                .body("recentFailures.id", hasItem(dead))
                .body("throughput.size()", equalTo(5))
                .body("throughput.sum { it.succeeded }", greaterThanOrEqualTo(1));

        // re-running the failed job takes it off the recent failures (paused, so that it does not fail again at once)
        given().when().post("/queues/" + queue + "/pause").then().statusCode(200);
        given().when().post("/jobs/" + dead + "/retry").then().statusCode(200);
        given().when().get("/stats").then().statusCode(200)
                .body("recentFailures.findAll { it.id == '" + dead + "' }.size()", equalTo(0));
    }

    @Test
    void aBadWindowIsA422NamingIt() {
        for (String minutes : new String[] { "0", "61", "abc" }) {
            given().queryParam("minutes", minutes).when().get("/stats").then().statusCode(422)
                    .contentType("application/problem+json").body("errors[0].field", equalTo("minutes"));
        }
    }

    private static String enqueue(String body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/jobs")
                .then().statusCode(201).extract().path("id");
    }

    private static void awaitStatus(String id, String status) {
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                given().when().get("/jobs/" + id).then().body("status", equalTo(status)));
    }
}
