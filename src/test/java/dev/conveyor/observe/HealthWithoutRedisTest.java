package dev.conveyor.observe;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URL;
import java.time.Duration;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Redis unreachable: readiness and start-up are DOWN (traffic and rollouts wait), liveness stays UP (restarting the
 * pod would not bring Redis back).
 */
@QuarkusTest
@TestProfile(HealthWithoutRedisTest.NoRedis.class)
class HealthWithoutRedisTest {

    public static class NoRedis implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String url = "redis://127.0.0.1:" + closedPort();
            return Map.of("quarkus.redis.hosts", url, "quarkus.redis.blocking.hosts", url,
                    "conveyor.queue.redis-timeout", "500ms");
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }

        private static int closedPort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    // management URLs are relative to the non-application root (/q)
    @TestHTTPResource(value = "/health", management = true)
    URL health;

    @Test
    void readinessAndStartupAreDownButTheProcessIsLive() {
        given().when().get(health + "/ready").then().statusCode(503)
                .body("checks.find { it.name == 'redis' }.status", equalTo("DOWN"));
        given().when().get(health + "/started").then().statusCode(503)
                .body("checks.find { it.name == 'scripts' }.status", equalTo("DOWN"));
        // the loop keeps cycling through its backoff: alive, now and a few backoffs later
        Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                given().when().get(health + "/live").then().statusCode(200).body("status", equalTo("UP")));
    }
}
