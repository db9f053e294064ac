package dev.conveyor.it;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.conveyor.testing.LocalRedisSentinel;

/**
 * Sentinel failover under load: one primary, one replica, three sentinels; the primary is killed (SIGKILL) while
 * clients enqueue and two workers run jobs. See {@link FailoverScenario} for what is counted and checked; with
 * {@code replica-acks=1} no acknowledged job may be lost.
 */
class SentinelFailoverIT {

    @RegisterExtension
    final Processes processes = new Processes();

    @ParameterizedTest(name = "replica-acks={0}")
    @ValueSource(ints = { 0, 1 })
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void thePrimaryDiesUnderLoad(int replicaAcks) throws Exception {
        LocalRedisSentinel sentinel = processes.startSentinel();
        FailoverScenario.Topology topology = new FailoverScenario.Topology() {
            @Override
            public Map<String, String> appEnvironment() {
                return sentinel.appEnvironment();
            }

            @Override
            public int primaryOf(String queue) throws IOException {
                return sentinel.primaryPort();
            }

            @Override
            public void kill(int port) {
                sentinel.kill(port);
            }

            @Override
            public void restart(int port) throws IOException {
                sentinel.restart(port);
            }

            @Override
            public void awaitHealthy() throws IOException {
                sentinel.awaitHealthy();
            }
        };
        new FailoverScenario(processes, "sentinel", topology, List.of("failover-a", "failover-b"), replicaAcks).run();
    }
}
