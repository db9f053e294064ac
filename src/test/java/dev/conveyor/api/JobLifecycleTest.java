package dev.conveyor.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class JobLifecycleTest {

    @Test
    void echoJobGoesFromQueuedToSucceededAndItsResultCanBeRead() {
        String id = given().contentType(ContentType.JSON)
                .body("{\"type\":\"echo\",\"payload\":{\"hello\":\"world\"}}")
                .when().post("/jobs")
                .then().statusCode(201)
                .header("Location", startsWith("http"))
                .body("status", equalTo("queued"))
                .body("payload.hello", equalTo("world"))
                .extract().path("id");

        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().when().get("/jobs/" + id)
                .then().statusCode(200).body("status", equalTo("succeeded")));

        given().when().get("/jobs/" + id + "/result")
                .then().statusCode(200)
                .body("result.hello", equalTo("world"));
    }
}
