package dev.conveyor.observe;

import static dev.conveyor.testing.Jobs.awaitStatus;
import static dev.conveyor.testing.Jobs.enqueue;
import static dev.conveyor.testing.Jobs.eventually;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** GET /stats reflects jobs by queue, by type, recent failures and throughput. */
@QuarkusTest
class StatsTest {

    @Test
    void statsCountWhatHappened() {
        String queue = uniqueQueue("stats");
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
                .body("throughput.size()", equalTo(5));
        // throughput counts arrive with the worker's next heartbeat
        eventually().untilAsserted(() -> given().queryParam("minutes", 5).when().get("/stats").then()
                .body("throughput.sum { it.succeeded }", greaterThanOrEqualTo(1)));

        // re-running the failed job takes it off the recent failures (paused, so that it does not fail again at once)
        given().when().post("/queues/" + queue + "/pause").then().statusCode(200);
        given().when().post("/jobs/" + dead + "/retry").then().statusCode(200);
        given().when().get("/stats").then().statusCode(200)
                .body("recentFailures.findAll { it.id == '" + dead + "' }.size()", equalTo(0));
    }

    @Test
    void recentFailuresAreTheLatestOverAllQueuesNewestFirst() {
        List<String> queues = List.of(uniqueQueue("fails-a"), uniqueQueue("fails-b"), uniqueQueue("fails-c"));
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < 21; i++) { // one at a time, so that the order they finish in is known
            String id = enqueue("{\"type\":\"sleep\",\"queue\":\"" + queues.get(i % 3) + "\",\"maxAttempts\":1,"
                    + "\"payload\":{\"ms\":1,\"failTimes\":1,\"retryable\":false}}");
            awaitStatus(id, "failed");
            failed.add(0, id);
        }

        List<String> shown = given().when().get("/stats").then().statusCode(200)
                .extract().jsonPath().getList("recentFailures.id", String.class);

        assertThat(shown).containsExactlyElementsOf(failed.subList(0, 20));
    }

    @Test
    void aBadWindowIsA422NamingIt() {
        for (String minutes : new String[] { "0", "61", "abc" }) {
            given().queryParam("minutes", minutes).when().get("/stats").then().statusCode(422)
                    .contentType("application/problem+json").body("errors[0].field", equalTo("minutes"));
        }
    }

}
