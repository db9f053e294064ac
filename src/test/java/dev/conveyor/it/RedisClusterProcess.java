package dev.conveyor.it;

import java.io.IOException;
import java.util.LinkedHashMap;
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

    /** The settings an operator gives (docs/topologies.md): the blocking client follows the shared one. */
    @Override
    public Map<String, String> appEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_REDIS_CLIENT_TYPE", "cluster");
        env.put("QUARKUS_REDIS_HOSTS", cluster.hosts());
        return env;
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
