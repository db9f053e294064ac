package dev.conveyor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.conveyor.testing.LocalRedisCluster;

/**
 * Redis Cluster failover under load: three primaries with a replica each, queues spread over several of them; the
 * primary of the busiest queue's slot is killed (SIGKILL) while clients enqueue and two workers run jobs. See
 * {@link FailoverScenario} for what is counted and checked; with {@code replica-acks=1} no acknowledged job may be
 * lost.
 */
class ClusterFailoverIT {

    /** Six queues: over three primaries, more than one of them holds some. */
    private static final List<String> QUEUES = List.of("failover-a", "failover-b", "failover-c", "failover-d",
            "failover-e", "failover-f");

    @RegisterExtension
    final Processes processes = new Processes();

    @ParameterizedTest(name = "replica-acks={0}")
    @ValueSource(ints = { 0, 1 })
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void thePrimaryOfABusyQueueDiesUnderLoad(int replicaAcks) throws Exception {
        LocalRedisCluster cluster = processes.startCluster();
        Set<Integer> primaries = new HashSet<>();
        for (String queue : QUEUES) {
            primaries.add(cluster.primaryOf(readyKey(queue)));
        }
        assertThat(primaries).as("primaries holding the queues").hasSizeGreaterThan(1);
        FailoverScenario.Topology topology = new FailoverScenario.Topology() {
            @Override
            public Map<String, String> appEnvironment() {
                return cluster.appEnvironment();
            }

            @Override
            public int primaryOf(String queue) throws IOException {
                return cluster.primaryOf(readyKey(queue));
            }

            @Override
            public void kill(int port) {
                cluster.kill(port);
            }

            @Override
            public void restart(int port) throws IOException {
                cluster.restart(port);
            }

            @Override
            public void awaitHealthy() throws IOException {
                cluster.awaitHealthy();
            }
        };
        new FailoverScenario(processes, "cluster", topology, QUEUES, replicaAcks).run();
    }

    private static String readyKey(String queue) {
        return Processes.queueKey(queue, "ready");
    }
}
