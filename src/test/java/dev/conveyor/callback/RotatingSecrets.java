package dev.conveyor.callback;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Webhook tests: deliveries may reach 127.0.0.1, and a secret is being rotated (two secrets sign at once). */
public class RotatingSecrets implements QuarkusTestProfile {

    public static final String SECRET = "new-s3cret";
    public static final String PREVIOUS_SECRET = "old-s3cret";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("conveyor.http.allowed-networks", "127.0.0.1/32",
                "conveyor.callbacks.secret", SECRET,
                "conveyor.callbacks.previous-secret", PREVIOUS_SECRET);
    }
}
