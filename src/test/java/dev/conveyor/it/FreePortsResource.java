package dev.conveyor.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import dev.conveyor.devservices.LocalRedis;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives the application under a {@code @QuarkusIntegrationTest} fixed free ports for HTTP and the management
 * interface. Quarkus learns the HTTP port of the launched process from its log, but not the management port, which
 * would stay at 9000 (often taken on a shared machine). And the usual random HTTP test port (0) cannot be used: with
 * the management interface on, Quarkus 3.34.3 never finishes starting on port 0 (the HTTP server's bind listener
 * fails registering the http_server_bytes_read meter, whose tag keys differ from the management server's).
 */
public class FreePortsResource implements QuarkusTestResourceLifecycleManager {

    private static volatile int httpPort;
    private static volatile int managementPort;

    static int managementPort() {
        return managementPort;
    }

    @Override
    public Map<String, String> start() {
        try {
            httpPort = LocalRedis.freePort();
            managementPort = LocalRedis.freePort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // given after Quarkus' own -Dquarkus.http.port=<test port>, so these win
        return Map.of("quarkus.http.port", Integer.toString(httpPort),
                "quarkus.management.port", Integer.toString(managementPort));
    }

    @Override
    public void stop() {
    }
}
