package dev.conveyor.it;

import static dev.conveyor.it.Processes.env;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The packaged API lists packaged workers from their registry entries: a worker killed with {@code kill -9} drops out
 * once its entry expires (three heartbeats of 1 s here), and one that stops gracefully leaves at once (its heartbeat
 * of 10 s would keep its entry for 30 s).
 */
class WorkerRegistryIT {

    @RegisterExtension
    final Processes processes = new Processes();

    @Test
    @Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
    void aKilledWorkerDropsOutWithinItsExpiryAndAStoppedOneAtOnce() throws Exception {
        RedisProcess redis = processes.startRedis();
        AppProcess api = processes.startApi("api", redis, Map.of());
        AppProcess killed = processes.startWorker("worker-killed", redis, env(
                "CONVEYOR_WORKER_HEARTBEAT_INTERVAL", "1s", "CONVEYOR_WORKER_QUEUES", "critical:3,default:1",
                "CONVEYOR_WORKER_CONCURRENCY", "7"));
        AppProcess stopped = processes.startWorker("worker-stopped", redis, env(
                "CONVEYOR_WORKER_HEARTBEAT_INTERVAL", "10s", "CONVEYOR_WORKER_SHUTDOWN_TIMEOUT", "1s"));
        api.awaitReady(Duration.ofSeconds(90));
        killed.awaitReady(Duration.ofSeconds(90));
        stopped.awaitReady(Duration.ofSeconds(90));

        Awaitility.await("both workers listed").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> hosts(api).containsAll(List.of("worker-killed", "worker-stopped")));
        JsonNode listed = workers(api).get(0);
        assertThat(listed.path("host").asText()).isEqualTo("worker-killed");
        assertThat(listed.path("pid").asLong()).isEqualTo(killed.pid());
        assertThat(listed.path("concurrency").asInt()).isEqualTo(7);
        assertThat(listed.path("queues").toString()).isEqualTo("[\"critical\",\"default\"]");

        killed.sigkill();
        // its entry expires three heartbeats (3 s) after the last one; the rest is a margin for a busy machine
        Awaitility.await("the killed worker's entry expired").atMost(Duration.ofSeconds(8))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> !hosts(api).contains("worker-killed"));

        stopped.sigterm();
        assertThat(stopped.awaitExit(Duration.ofSeconds(30))).isTrue();
        assertThat(hosts(api)).as("a graceful stop removes the entry").doesNotContain("worker-stopped");
    }

    private static List<JsonNode> workers(AppProcess api) throws Exception {
        Processes.Answer answer = Processes.get(api, "/workers");
        assertThat(answer.status()).isEqualTo(200);
        List<JsonNode> workers = new ArrayList<>();
        answer.body().path("workers").forEach(workers::add);
        return workers;
    }

    private static List<String> hosts(AppProcess api) throws Exception {
        return workers(api).stream().map(worker -> worker.path("host").asText()).toList();
    }
}
