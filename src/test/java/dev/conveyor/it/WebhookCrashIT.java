package dev.conveyor.it;

import static dev.conveyor.it.Processes.env;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import dev.conveyor.testing.WebhookReceiver;
import dev.conveyor.testing.WebhookReceiver.Delivery;

/**
 * A webhook delivery survives the death of the worker sending it: the receiver holds the first try open, the worker
 * delivering it is killed (SIGKILL), and a second worker delivers it once the lease has expired, with the same
 * {@code Conveyor-Delivery-Id}. Redis, the packaged API and the packaged workers run as separate processes.
 */
class WebhookCrashIT {

    private static final String QUEUE = "hooks";
    private static final String PATH = "/hook";

    @RegisterExtension
    final Processes processes = new Processes();

    private final Map<String, String> env = env(
            "CONVEYOR_HTTP_ALLOWED_NETWORKS", "127.0.0.1/32",
            "CONVEYOR_CALLBACKS_SECRET", "crash-test-secret");

    private final Map<String, String> workerEnv = env(
            "CONVEYOR_HTTP_ALLOWED_NETWORKS", "127.0.0.1/32",
            "CONVEYOR_CALLBACKS_SECRET", "crash-test-secret",
            "CONVEYOR_WORKER_QUEUES", QUEUE,
            "CONVEYOR_WORKER_LEASE", "3s",
            "CONVEYOR_WORKER_REAP_INTERVAL", "1s");

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aDeliveryCutByAWorkerKillIsDeliveredByAnotherWithTheSameId() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            receiver.holdFirst(PATH);
            RedisProcess redis = processes.startRedis();
            AppProcess api = processes.startApi("api", redis, env);
            AppProcess first = processes.startWorker("worker-1", redis, workerEnv);
            api.awaitReady(Duration.ofSeconds(90));
            first.awaitReady(Duration.ofSeconds(90));

            Processes.Answer created = Processes.post(api, "/jobs", "{\"type\":\"echo\",\"queue\":\"" + QUEUE
                    + "\",\"callback\":{\"url\":\"" + receiver.url(PATH) + "\"}}", Duration.ofSeconds(10));
            assertThat(created.status()).as("POST /jobs: %s", created.body()).isEqualTo(201);
            String id = created.body().path("id").asText();
            Awaitility.await("the first try").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> receiver.received(PATH).size() == 1);
            first.sigkill();

            AppProcess second = processes.startWorker("worker-2", redis, workerEnv);
            second.awaitReady(Duration.ofSeconds(90));
            AtomicReference<JsonNode> job = new AtomicReference<>();
            Awaitility.await("the delivery").atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        job.set(Processes.get(api, "/jobs/" + id).body());
                        return "delivered".equals(job.get().path("callback").path("status").asText());
                    });

            JsonNode callback = job.get().path("callback");
            List<Delivery> received = receiver.received(PATH);
            assertThat(received).hasSizeGreaterThanOrEqualTo(2);
            assertThat(received).extracting(delivery -> delivery.header("Conveyor-Delivery-Id"))
                    .containsOnly(callback.path("deliveryId").asText());
            assertThat(callback.path("attempts").asInt()).isEqualTo(received.size());
            assertThat(callback.path("lastError").asText()).contains("lease expired");
        }
    }
}
