package dev.conveyor.callback;

import static dev.conveyor.testing.Jobs.FIRST_PICKUP;
import static dev.conveyor.testing.Jobs.awaitJob;
import static dev.conveyor.testing.Jobs.enqueue;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import dev.conveyor.devservices.LocalRedis;
import dev.conveyor.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * The receiver of docs/webhooks.md, run as written with python3 (skipped where there is none), verifies a real
 * delivery: with the previous secret while two are in use, and it refuses one made for another secret.
 */
@QuarkusTest
@TestProfile(RotatingSecrets.class)
class WebhookDocTest {

    private final List<Process> receivers = new ArrayList<>();

    @AfterEach
    void stopReceivers() throws InterruptedException {
        for (Process receiver : receivers) {
            receiver.destroy();
            receiver.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theDocumentedReceiverAcceptsASignedDelivery() throws Exception {
        int port = startReceiver(RotatingSecrets.PREVIOUS_SECRET);
        String id = enqueue(Map.of("type", "echo", "queue", uniqueQueue("doc"),
                "callback", Map.of("url", "http://127.0.0.1:" + port + "/")));

        JsonPath job = awaitJob(id, FIRST_PICKUP, j -> "delivered".equals(j.getString("callback.status")));

        assertThat(job.getInt("callback.attempts")).isEqualTo(1);
    }

    @Test
    void theDocumentedReceiverRefusesADeliveryForAnotherSecret() throws Exception {
        int port = startReceiver("not-the-secret");
        String id = enqueue(Map.of("type", "echo", "queue", uniqueQueue("doc"),
                "callback", Map.of("url", "http://127.0.0.1:" + port + "/")));

        JsonPath job = awaitJob(id, FIRST_PICKUP, j -> j.getInt("callback.attempts") >= 2);

        assertThat(job.getString("callback.status")).isNotEqualTo("delivered");
        assertThat(job.getString("callback.lastError")).contains("HTTP 400");
    }

    /** The snippet of docs/webhooks.md, started with this secret on a free port; answers once it listens. */
    private int startReceiver(String secret) throws IOException {
        Assumptions.assumeTrue(python(), "python3 is not installed");
        String doc = Files.readString(Path.of("docs/webhooks.md"));
        int start = doc.indexOf("```python\n", doc.indexOf("<!-- receiver -->")) + "```python\n".length();
        String snippet = doc.substring(start, doc.indexOf("```", start));
        assertThat(snippet.lines().count()).as("the receiver's lines").isLessThanOrEqualTo(10);
        Path file = Files.createTempFile("receiver", ".py");
        Files.writeString(file, snippet);
        int port = LocalRedis.freePort();
        ProcessBuilder builder = new ProcessBuilder("python3", file.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("SECRET", secret);
        builder.environment().put("PORT", Integer.toString(port));
        receivers.add(builder.start());
        Jobs.eventually().until(() -> listens(port));
        return port;
    }

    private static boolean listens(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean python() {
        try {
            return new ProcessBuilder("python3", "--version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
