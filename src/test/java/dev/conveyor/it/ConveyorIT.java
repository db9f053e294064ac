package dev.conveyor.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.conveyor.testing.RedisForTests;
import dev.conveyor.testing.RedisTestResource;
import dev.conveyor.testing.TestKeys;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * The packaged application (role all) as users run it, in its own process: target/quarkus-app/quarkus-run.jar after
 * {@code ./mvnw verify}, or the native executable after {@code ./mvnw verify -Dnative}. Redis is the suite's
 * redis-server: {@link RedisTestResource}, declared for every Quarkus test by {@link RedisForTests} (declaring it here
 * again would start a second, unused server). Its address, the free ports of {@link FreePortsResource} and the keys
 * file of {@link AdminKeysResource} reach the process as system properties. Access control is on, as in production:
 * every API call sends {@link TestKeys#ADMIN}.
 */
@QuarkusIntegrationTest
@WithTestResource(FreePortsResource.class)
@WithTestResource(AdminKeysResource.class)
class ConveyorIT {

    private static RequestSpecification asAdmin() {
        return given().header("Authorization", TestKeys.bearer(TestKeys.ADMIN));
    }

    @Test
    void aJobEnqueuedThroughTheApiSucceeds() {
        String id = asAdmin().contentType(ContentType.JSON)
                .body("{\"type\":\"echo\",\"payload\":{\"from\":\"it\"}}")
                .when().post("/jobs")
                .then().statusCode(201).body("status", equalTo("queued"))
                .extract().path("id");

        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> asAdmin().when().get("/jobs/" + id)
                .then().statusCode(200).body("status", equalTo("succeeded")));
        asAdmin().when().get("/jobs/" + id + "/result")
                .then().statusCode(200).body("result.from", equalTo("it"));
    }

    @Test
    void withoutAKeyTheApiAnswers401() {
        given().contentType(ContentType.JSON).body("{\"type\":\"echo\"}")
                .when().post("/jobs")
                .then().statusCode(401).header("WWW-Authenticate", startsWith("Bearer"));
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
        asAdmin().when().get("/q/health/ready").then().statusCode(404);
    }
}
