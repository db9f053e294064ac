package dev.conveyor.observe;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;

import java.net.URL;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** With Redis up, every probe is UP and says something useful. */
@QuarkusTest
class HealthTest {

    // management URLs are relative to the non-application root (/q)
    @TestHTTPResource(value = "/health", management = true)
    URL health;

    @Test
    void readyLiveAndStartedAreUpWithData() {
        given().when().get(health + "/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("redis", "worker"))
                .body("checks.find { it.name == 'redis' }.data.latencyMs", notNullValue())
                .body("checks.find { it.name == 'worker' }.data.concurrency", equalTo(10));
        given().when().get(health + "/live").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'worker-loop' }.data.lastHeartbeat", notNullValue());
        given().when().get(health + "/started").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("scripts", "worker-loop"));
    }
}
