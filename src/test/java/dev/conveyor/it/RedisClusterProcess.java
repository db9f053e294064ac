package dev.conveyor.it;

import java.io.IOException;
import java.util.Map;

import dev.conveyor.testing.LocalRedisCluster;

/** A {@link LocalRedisCluster} as a process test's Redis: every node stopped and started again at once. */
final class RedisClusterProcess implements TestRedis {

    private final LocalRedisCluster cluster;

    RedisClusterProcess(LocalRedisCluster cluster) {
        this.cluster = cluster;
    }

    LocalRedisCluster cluster() {
        return cluster;
    }

    @Override
    public Map<String, String> appEnvironment() {
        return cluster.appEnvironment();
    }

    @Override
    public RedisClient connect() {
        return RedisClient.connectCluster(cluster.ports());
    }

    @Override
    public void sigterm() {
        cluster.stopAll();
    }

    @Override
    public void restart() throws IOException {
        cluster.startAll();
    }
}
