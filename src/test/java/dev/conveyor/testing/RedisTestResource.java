package dev.conveyor.testing;

import java.nio.file.Path;
import java.util.Map;

import dev.conveyor.devservices.LocalRedis;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real redis-server for the test suite, on a free loopback port: the one on PATH, else the one shipped in the
 * embedded-redis artifact. Started once for all tests and stopped at the end.
 */
public class RedisTestResource implements QuarkusTestResourceLifecycleManager {

    private LocalRedis redis;

    @Override
    public Map<String, String> start() {
        try {
            int port = LocalRedis.freePort();
            redis = LocalRedis.start(port, Path.of("target", "test-redis"));
            String url = "redis://127.0.0.1:" + port;
            return Map.of("quarkus.redis.hosts", url, "quarkus.redis.blocking.hosts", url);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start redis-server for the tests", e);
        }
    }

    @Override
    public void stop() {
        if (redis != null) {
            redis.close();
        }
    }
}
