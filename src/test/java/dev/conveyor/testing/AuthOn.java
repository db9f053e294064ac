package dev.conveyor.testing;

import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Access control on, as in production, with the keys of {@link AccessMatrix} in a keys file that tests may rewrite
 * ({@link #KEYS_FILE}), re-read every second. A fixed path: the profile and the test class live in different class
 * loaders, so a random one would differ between them.
 */
public class AuthOn implements QuarkusTestProfile {

    public static final Path KEYS_FILE = Path.of("target", "auth-test", "keys.json").toAbsolutePath();

    @Override
    public Map<String, String> getConfigOverrides() {
        TestKeys.write(KEYS_FILE, AccessMatrix.keys());
        return Map.of("conveyor.auth.enabled", "true",
                "conveyor.auth.keys-file", KEYS_FILE.toString(),
                "conveyor.auth.keys-reload", "1s");
    }
}
