package dev.conveyor.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.conveyor.testing.RedisForTests;
import dev.conveyor.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;

/**
 * The packaged application (role all) as users run it, in its own process: target/quarkus-app/quarkus-run.jar after
 * {@code ./mvnw verify}, or the native executable after {@code ./mvnw verify -Dnative}. Redis is the suite's
 * redis-server: {@link RedisTestResource}, declared for every Quarkus test by {@link RedisForTests} (declaring it here
 * again would start a second, unused server). Its address, and the free ports of
 * {@link FreePortsResource}, reach the process as system properties.
 */
@QuarkusIntegrationTest
@WithTestResource(FreePortsResource.class)
class ConveyorIT {

    @Test
    void aJobEnqueuedThroughTheApiSucceeds() {
        String id = given().contentType(ContentType.JSON)
                .body("{\"type\":\"echo\",\"payload\":{\"from\":\"it\"}}")
                .when().post("/jobs")
                .then().statusCode(201).body("status", equalTo("queued"))
                .extract().path("id");

        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().when().get("/jobs/" + id)
                .then().statusCode(200).body("status", equalTo("succeeded")));
        given().when().get("/jobs/" + id + "/result")
                .then().statusCode(200).body("result.from", equalTo("it"));
    }

    @Test
    void healthAndMetricsAnswerOnTheManagementPort() {
        String management = "http://localhost:" + FreePortsResource.managementPort();
        given().baseUri(management).when().get("/q/health/ready")
                .then().statusCode(200).body("status", equalTo("UP"));
        given().baseUri(management).when().get("/q/health/live")
                .then().statusCode(200).body("status", equalTo("UP"));
        given().baseUri(management).when().get("/q/metrics")
                .then().statusCode(200).body(containsString("jvm_threads_live_threads"), containsString("conveyor_worker_concurrency"));
        // not on the API port
        given().when().get("/q/health/ready").then().statusCode(404);
    }
}
