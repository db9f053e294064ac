package dev.conveyor.callback;

import static dev.conveyor.testing.Jobs.post;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static dev.conveyor.testing.Problems.assertInvalid;
import static org.hamcrest.Matchers.containsString;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Without a signing secret no delivery could be signed, so a job with a callback is refused; others go on. */
@QuarkusTest
@TestProfile(CallbackWithoutSecretTest.NoSecret.class)
class CallbackWithoutSecretTest {

    public static class NoSecret implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("conveyor.callbacks.secret", "");
        }
    }

    @Test
    void aJobWithACallbackIsRefused() {
        assertInvalid(post("/jobs", Map.of("type", "echo", "queue", uniqueQueue("hook"),
                "callback", Map.of("url", "https://example.com/hook"))).then(), "callback")
                .body("errors.find { it.field == 'callback' }.message", containsString("conveyor.callbacks.secret"));
        post("/jobs", Map.of("type", "echo", "queue", uniqueQueue("hook"), "delay", "PT1H")).then().statusCode(201);
    }
}
