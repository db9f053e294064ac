package dev.conveyor.testing;

import java.nio.file.Path;
import java.util.Map;

import dev.conveyor.devservices.LocalRedis;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real redis-server for the test suite, on a free loopback port: the one on PATH, else the one shipped in the
 * embedded-redis artifact. Started once for all tests and stopped at the end. With {@code -Dconveyor.test.redis=cluster}
 * the suite runs against a Redis Cluster of three primaries and three replicas instead.
 */
public class RedisTestResource implements QuarkusTestResourceLifecycleManager {

    /** The system property that picks the topology the suite runs against: {@code single} (default) or {@code cluster}. */
    public static final String TOPOLOGY = "conveyor.test.redis";

    private LocalRedis redis;
    private LocalRedisCluster cluster;

    @Override
    public Map<String, String> start() {
        try {
            if ("cluster".equals(System.getProperty(TOPOLOGY))) {
                cluster = LocalRedisCluster.start(Path.of("target", "test-redis-cluster"), 3, 1);
                // on a cluster the worker holds one blocking connection per queue it serves, and the suite's one
                // worker serves every queue its test classes made (hundreds): the pool is sized for that
                return Map.of("quarkus.redis.client-type", "cluster", "quarkus.redis.hosts", cluster.hosts(),
                        "quarkus.redis.blocking.client-type", "cluster", "quarkus.redis.blocking.hosts", cluster.hosts(),
                        "quarkus.redis.blocking.max-pool-size", "1024",
                        "quarkus.redis.blocking.max-pool-waiting", "2048");
            }
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
        if (cluster != null) {
            cluster.close();
        }
    }
}
