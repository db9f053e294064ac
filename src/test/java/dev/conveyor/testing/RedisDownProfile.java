package dev.conveyor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Redis on a loopback port where nothing listens: for tests of what callers get while Redis is unreachable. */
public class RedisDownProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        String url = "redis://127.0.0.1:" + closedPort();
        return Map.of("quarkus.redis.hosts", url, "quarkus.redis.blocking.hosts", url);
    }

    /** The suite's Redis (a global test resource) would override the hosts above: leave it out here. */
    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
