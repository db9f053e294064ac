package dev.conveyor.email;

import static dev.conveyor.testing.Jobs.run;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * {@code send_email} over STARTTLS: the server refuses any mail before STARTTLS, so a delivered message went over TLS,
 * and the mailer trusted the server's self-signed certificate through its TLS configuration, not trust-all.
 */
@QuarkusTest
@TestProfile(EmailStartTlsTest.WithStartTls.class)
class EmailStartTlsTest {

    public static class WithStartTls implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SmtpTlsResource.class));
        }
    }

    SmtpTestServer smtp;

    @Test
    void anEmailIsDeliveredOverStartTls() throws Exception {
        JsonPath job = run("""
                {"type": "send_email", "queue": "%s",
                 "payload": {"to": "ann@example.com", "subject": "Over TLS", "text": "Encrypted"}}
                """.formatted(uniqueQueue("email")), "succeeded");

        List<SmtpTestServer.Received> received = smtp.withMessageId(job.getString("result.messageId"));
        assertThat(received).hasSize(1);
        assertThat(received.get(0).message().getSubject()).isEqualTo("Over TLS");
        assertThat(received.get(0).tls()).as("the session had started TLS").isTrue();
    }
}
