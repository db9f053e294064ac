package dev.conveyor.testing;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * For tests whose {@code http} jobs call a server of the test: requests may reach 127.0.0.1 (and nothing else that the
 * default rules block), and the secret {@code crm-token} is configured.
 */
public class LoopbackAllowed implements QuarkusTestProfile {

    public static final String SECRET_VALUE = "Bearer crm-s3cr3t-value";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("conveyor.http.allowed-networks", "127.0.0.1/32",
                "conveyor.http.secrets.crm-token", SECRET_VALUE);
    }
}
