package dev.conveyor.it;

import java.util.List;
import java.util.Map;

import dev.conveyor.testing.TestKeys;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives the application under a {@code @QuarkusIntegrationTest} a keys file that lets {@link TestKeys#ADMIN} in: the
 * packaged application runs with access control on, as in production.
 */
public class AdminKeysResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("conveyor.auth.keys-file", TestKeys.newFile(List.of(TestKeys.admin())).toString());
    }

    @Override
    public void stop() {
    }
}
