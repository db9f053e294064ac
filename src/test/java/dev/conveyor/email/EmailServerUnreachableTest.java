package dev.conveyor.email;

import static dev.conveyor.testing.Jobs.run;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/** An SMTP server that cannot be reached (nothing listens on its port) is a retryable failure, never a permanent one. */
@QuarkusTest
@TestProfile(EmailServerUnreachableTest.NobodyListens.class)
class EmailServerUnreachableTest {

    public static class NobodyListens implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.mailer.mock", "false", "quarkus.mailer.host", "127.0.0.1",
                    "quarkus.mailer.port", Integer.toString(closedPort()), "quarkus.mailer.start-tls", "DISABLED");
        }

        /** A port that was free a moment ago: bound, then closed at once. */
        private static int closedPort() {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void aRefusedConnectionIsRetriedUntilTheAttemptsRunOut() {
        JsonPath job = run("""
                {"type": "send_email", "queue": "%s", "maxAttempts": 2,
                 "payload": {"to": "ann@example.com", "subject": "Hello", "text": "Hi"}}
                """.formatted(uniqueQueue("email")), "failed");

        assertThat(job.getInt("attempts")).isEqualTo(2);
        assertThat(job.getString("error")).startsWith("SMTP server not reached: ").containsIgnoringCase("refused");
        assertThat(job.getString("errors[0].error")).startsWith("SMTP server not reached: ");
    }
}
