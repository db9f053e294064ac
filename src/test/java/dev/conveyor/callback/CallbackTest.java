package dev.conveyor.callback;

import static dev.conveyor.testing.Jobs.FIRST_PICKUP;
import static dev.conveyor.testing.Jobs.awaitFinished;
import static dev.conveyor.testing.Jobs.awaitJob;
import static dev.conveyor.testing.Jobs.enqueue;
import static dev.conveyor.testing.Jobs.job;
import static dev.conveyor.testing.Jobs.post;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static dev.conveyor.testing.Problems.assertInvalid;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.conveyor.job.JobId;
import dev.conveyor.testing.Jobs;
import dev.conveyor.testing.WebhookReceiver;
import dev.conveyor.testing.WebhookReceiver.Delivery;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Command;

/**
 * Completion webhooks against a real receiver on 127.0.0.1: signed deliveries (checked with both secrets while they
 * rotate), retries with one delivery id, each final status as an event, nothing for an event not asked for, a job
 * gone before its delivery, and the 422s of a callback that cannot be accepted.
 */
@QuarkusTest
@TestProfile(RotatingSecrets.class)
class CallbackTest {

    static WebhookReceiver receiver;

    @Inject
    Redis redis;

    @BeforeAll
    static void start() throws IOException {
        receiver = WebhookReceiver.start();
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    private static String path() {
        return "/hook-" + UUID.randomUUID();
    }

    private static Map<String, Object> callback(String path, String... events) {
        return events.length == 0 ? Map.of("url", receiver.url(path))
                : Map.of("url", receiver.url(path), "events", List.of(events));
    }

    /** Waits until the job's callback reached {@code status}; returns the job then. */
    private static JsonPath awaitCallback(String id, String status) {
        return awaitJob(id, FIRST_PICKUP, job -> status.equals(job.getString("callback.status")));
    }

    @Test
    void aSucceededJobIsDeliveredSignedWithBothSecrets() throws Exception {
        String path = path();
        String id = enqueue(Map.of("type", "echo", "queue", uniqueQueue("hook"), "payload", Map.of("n", 7),
                "callback", callback(path)));

        JsonPath job = awaitCallback(id, "delivered");

        assertThat(job.getString("status")).isEqualTo("succeeded");
        assertThat(job.getInt("callback.attempts")).isEqualTo(1);
        assertThat(job.getString("callback.deliveredAt")).isNotNull();
        assertThat(job.getList("callback.events")).containsExactly("succeeded", "failed", "cancelled");
        List<Delivery> received = receiver.received(path);
        assertThat(received).hasSize(1);
        Delivery delivery = received.get(0);
        assertThat(delivery.header("Conveyor-Delivery-Id")).isEqualTo(job.getString("callback.deliveryId"));
        assertThat(delivery.header("Conveyor-Event")).isEqualTo("succeeded");
        assertThat(delivery.header("Content-Type")).isEqualTo("application/json");
        assertThat(delivery.header("User-Agent")).isEqualTo("conveyor-webhooks");
        JsonPath body = new JsonPath(delivery.body());
        assertThat(body.getString("id")).isEqualTo(id);
        assertThat(body.getString("status")).isEqualTo("succeeded");
        assertThat(body.getInt("result.n")).isEqualTo(7);
        assertThat(body.getString("callback.status")).isEqualTo("delivering");
        String signature = delivery.header("Conveyor-Signature");
        assertThat(signature).matches("t=\\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}");
        assertThat(SignatureCheck.timestamp(signature)).isBetween(Instant.now().getEpochSecond() - 60,
                Instant.now().getEpochSecond() + 1);
        assertThat(SignatureCheck.verifies(signature, delivery.body(), RotatingSecrets.SECRET)).isTrue();
        assertThat(SignatureCheck.verifies(signature, delivery.body(), RotatingSecrets.PREVIOUS_SECRET)).isTrue();
        assertThat(SignatureCheck.verifies(signature, delivery.body().replace("7", "8"), RotatingSecrets.SECRET))
                .as("a tampered body").isFalse();
        assertThat(SignatureCheck.verifies(signature, delivery.body(), "another-secret")).as("a wrong secret")
                .isFalse();
    }

    @Test
    void aReceiverFailingTwiceGetsTheThirdTryWithTheSameDeliveryId() {
        String path = path();
        receiver.answer(path, 500, 500);
        String id = enqueue(Map.of("type", "echo", "queue", uniqueQueue("hook"), "callback", callback(path)));

        JsonPath job = awaitCallback(id, "delivered");

        assertThat(job.getInt("callback.attempts")).isEqualTo(3);
        assertThat(job.getString("callback.lastError")).contains("HTTP 500");
        List<Delivery> received = receiver.received(path);
        assertThat(received).hasSize(3);
        assertThat(received).extracting(delivery -> delivery.header("Conveyor-Delivery-Id")).containsOnly(
                job.getString("callback.deliveryId"));
    }

    @Test
    void aFailedJobSendsTheFailedEvent() {
        String path = path();
        String id = enqueue(Map.of("type", "sleep", "queue", uniqueQueue("hook"), "maxAttempts", 1,
                "payload", Map.of("ms", 1, "failTimes", 1), "callback", callback(path, "failed")));

        JsonPath job = awaitCallback(id, "delivered");

        assertThat(job.getString("status")).isEqualTo("failed");
        Delivery delivery = receiver.received(path).get(0);
        assertThat(delivery.header("Conveyor-Event")).isEqualTo("failed");
        assertThat(new JsonPath(delivery.body()).getString("error")).contains("on purpose");
    }

    @Test
    void aCancelledJobSendsTheCancelledEvent() {
        String path = path();
        String id = enqueue(Map.of("type", "echo", "queue", uniqueQueue("hook"), "delay", "PT1H",
                "callback", callback(path, "cancelled")));
        given().when().delete("/jobs/" + id).then().statusCode(200);

        awaitCallback(id, "delivered");

        Delivery delivery = receiver.received(path).get(0);
        assertThat(delivery.header("Conveyor-Event")).isEqualTo("cancelled");
        assertThat(new JsonPath(delivery.body()).getString("status")).isEqualTo("cancelled");
    }

    @Test
    void anEventNotAskedForSendsNothing() {
        String path = path();
        String id = enqueue(Map.of("type", "echo", "queue", uniqueQueue("hook"),
                "callback", callback(path, "failed", "cancelled")));

        JsonPath job = awaitFinished(id, "succeeded", FIRST_PICKUP);

        // the script that ended the job would have created the delivery in the same step
        assertThat(job.getString("callback.deliveryId")).isNull();
        assertThat(job.getString("callback.status")).isNull();
        assertThat(receiver.received(path)).isEmpty();
    }

    @Test
    void aJobGoneBeforeItsDeliveryFailsItForGood() {
        String path = path();
        String queue = uniqueQueue("hook");
        receiver.holdFirst(path);
        String id = enqueue(Map.of("type", "echo", "queue", queue, "callback", callback(path)));
        Jobs.eventually().until(() -> !receiver.received(path).isEmpty());
        String deliveryId = receiver.received(path).get(0).header("Conveyor-Delivery-Id");
        JobId parent = JobId.parse(id).orElseThrow();
        redis.send(Request.cmd(Command.DEL).arg("conveyor:{" + queue + "}:job:" + parent.ulid()))
                .await().indefinitely();
        receiver.release(path);

        JsonPath delivery = awaitFinished(deliveryId, "failed", FIRST_PICKUP);

        assertThat(delivery.getString("type")).isEqualTo("callback");
        assertThat(delivery.getString("error")).contains("no longer exists").contains(id);
        assertThat(delivery.getInt("attempts")).isEqualTo(2);
        assertThat(receiver.received(path)).hasSize(1);
    }

    @Test
    void aCallbackThatCannotBeDeliveredIsRefused() {
        String queue = uniqueQueue("hook");
        assertInvalid(post("/jobs", Map.of("type", "echo", "queue", queue,
                "callback", Map.of("url", "ftp://example.com/hook"))).then(), "callback.url");
        assertInvalid(post("/jobs", Map.of("type", "echo", "queue", queue,
                "callback", Map.of("url", "http://169.254.169.254/latest"))).then(), "callback.url");
        assertInvalid(post("/jobs", Map.of("type", "echo", "queue", queue,
                "callback", Map.of("url", "https://example.com/hook", "events", List.of("succeeded", "finished"))))
                .then(), "callback.events[1]");
        assertInvalid(post("/jobs", Map.of("type", "echo", "queue", queue, "callback", Map.of())).then(),
                "callback.url");
        assertInvalid(post("/jobs/batch", Map.of("jobs", List.of(Map.of("type", "echo", "queue", queue,
                "callback", Map.of("url", "http://10.0.0.1/hook"))))).then(), "jobs[0].callback.url");
    }

    @Test
    void clientsCannotEnqueueADelivery() {
        assertInvalid(post("/jobs", Map.of("type", "callback", "queue", uniqueQueue("hook"), "payload",
                Map.of("job", "01JDQ8Z6V3M4T2K9N7P5R1S0XA", "event", "succeeded", "url", "https://example.com/"))).then(),
                "type");
    }

    @Test
    void theIdempotencyKeyCoversTheCallback() {
        String queue = uniqueQueue("hook");
        String key = UUID.randomUUID().toString();
        Map<String, Object> first = Map.of("type", "echo", "queue", queue, "delay", "PT1H", "idempotencyKey", key,
                "callback", Map.of("url", "https://example.com/a"));
        String id = enqueue(first);
        post("/jobs", first).then().statusCode(200);

        post("/jobs", Map.of("type", "echo", "queue", queue, "delay", "PT1H", "idempotencyKey", key,
                "callback", Map.of("url", "https://example.com/b"))).then().statusCode(409);
        assertThat(job(id).getString("callback.url")).isEqualTo("https://example.com/a");
    }
}
