package dev.conveyor.email;

import static dev.conveyor.testing.Jobs.countsOf;
import static dev.conveyor.testing.Jobs.post;
import static dev.conveyor.testing.Jobs.run;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static dev.conveyor.testing.Problems.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * {@code send_email} through the API and the in-process worker to a real SMTP server on a loopback port
 * ({@link SmtpTestServer}), asserting what the server received: envelope, headers, parts, Message-ID. The server's
 * reply decides the outcome: 451 is retried (with the same Message-ID), 550 fails the job at once.
 */
@QuarkusTest
@TestProfile(EmailJobTest.WithSmtpServer.class)
class EmailJobTest {

    public static class WithSmtpServer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("conveyor.email.from", "Conveyor Tests <noreply@example.com>",
                    "conveyor.email.allowed-from", "example.org,alerts@example.net",
                    "conveyor.email.max-body-size", "1K");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SmtpServerResource.class));
        }
    }

    SmtpTestServer smtp;
    String queue;

    @BeforeEach
    void setUp() {
        queue = uniqueQueue("email");
    }

    @Test
    void anEmailReachesTheServerWithItsEnvelopeHeadersPartsAndMessageId() throws Exception {
        JsonPath job = run("""
                {"type": "send_email", "queue": "%s", "payload": {
                  "to": ["ann@example.com", "Bob Example <bob@example.com>"], "cc": "carol@example.com",
                  "bcc": ["dave@example.net"], "replyTo": "support@example.com",
                  "subject": "Your order %s", "text": "Plain words", "html": "<p>Rich <b>words</b></p>"}}
                """.formatted(queue, queue), "succeeded");

        String messageId = job.getString("result.messageId");
        String id = job.getString("id");
        String ulid = id.substring(id.lastIndexOf('.') + 1);
        assertThat(messageId).isEqualTo("<" + ulid + "." + queue + "@example.com>");
        assertThat(job.getInt("result.accepted")).isEqualTo(4);

        List<SmtpTestServer.Received> received = smtp.withMessageId(messageId);
        assertThat(received).hasSize(1);
        SmtpTestServer.Received mail = received.get(0);
        assertThat(mail.reply()).isEqualTo(250);
        assertThat(mail.tls()).as("this server offers no STARTTLS").isFalse();
        assertThat(mail.envelopeFrom()).isEqualTo("noreply@example.com");
        assertThat(mail.envelopeTo()).containsExactlyInAnyOrder("ann@example.com", "bob@example.com",
                "carol@example.com", "dave@example.net");
        MimeMessage message = mail.message();
        assertThat(message.getSubject()).isEqualTo("Your order " + queue);
        assertThat(addresses(message.getFrom())).containsExactly("noreply@example.com");
        assertThat(addresses(message.getRecipients(RecipientType.TO))).containsExactly("ann@example.com",
                "bob@example.com");
        assertThat(addresses(message.getRecipients(RecipientType.CC))).containsExactly("carol@example.com");
        assertThat(addresses(message.getReplyTo())).containsExactly("support@example.com");
        assertThat(message.getHeader("Bcc")).as("bcc stays in the envelope").isNull();
        assertThat(headerText(message)).doesNotContain("dave@example.net");
        assertThat(message.getHeader("Message-ID")).containsExactly(messageId);
        assertThat(part(message, "text/plain")).isEqualTo("Plain words");
        assertThat(part(message, "text/html")).isEqualTo("<p>Rich <b>words</b></p>");
    }

    @Test
    void anAllowedSenderIsUsed() throws Exception {
        JsonPath job = run(email("ann@example.com", "\"from\": \"Billing <billing@example.org>\", \"text\": \"x\""),
                "succeeded");

        SmtpTestServer.Received mail = smtp.withMessageId(job.getString("result.messageId")).get(0);
        assertThat(mail.envelopeFrom()).isEqualTo("billing@example.org");
        assertThat(mail.message().getFrom()[0].toString()).isEqualTo("Billing <billing@example.org>");
    }

    @Test
    void a451IsRetriedAndTheRetryCarriesTheSameMessageId() {
        JsonPath job = run(email("greylist@example.com", "\"text\": \"again\""), "succeeded");

        assertThat(job.getInt("attempts")).isEqualTo(2);
        List<SmtpTestServer.Received> attempts = smtp.withMessageId(job.getString("result.messageId"));
        assertThat(attempts).extracting(SmtpTestServer.Received::reply).containsExactly(451, 250);
        assertThat(job.getString("errors[0].error")).isEqualTo("SMTP 451 " + SmtpTestServer.GREYLISTED);
    }

    @Test
    void a550FailsTheJobAtOnceWithTheServersReply() {
        int before = smtp.received().size();
        JsonPath job = run(email("refuse@example.com", "\"text\": \"no\""), "failed");

        assertThat(job.getInt("attempts")).isEqualTo(1);
        assertThat(job.getString("error")).isEqualTo("SMTP 550 " + SmtpTestServer.REFUSED);
        assertThat(smtp.received()).hasSize(before + 1);
        assertThat(smtp.received().get(before).reply()).isEqualTo(550);
    }

    @Test
    void a550ToARecipientFailsTheJobAtOnce() {
        JsonPath job = run(email("unknown@example.com", "\"text\": \"no\""), "failed");

        assertThat(job.getInt("attempts")).isEqualTo(1);
        assertThat(job.getString("error")).isEqualTo("SMTP 550 " + SmtpTestServer.NO_SUCH_USER);
    }

    @Test
    void theShippedWelcomeTemplateIsRenderedWithDataAndEscapedInHtml() throws Exception {
        JsonPath job = run(email("ann@example.com",
                "\"template\": \"welcome\", \"data\": {\"name\": \"Ann <3\", \"product\": \"Conveyor\"}"),
                "succeeded");

        MimeMessage message = smtp.withMessageId(job.getString("result.messageId")).get(0).message();
        assertThat(part(message, "text/plain")).contains("Welcome to Conveyor, Ann <3!")
                .contains("https://example.com/sign-in");
        assertThat(part(message, "text/html")).contains("Welcome to Conveyor, Ann &lt;3!")
                .doesNotContain("Ann <3");
    }

    @Test
    void aMountedTemplateIsRenderedWithNestedData() throws Exception {
        JsonPath job = run(email("ann@example.com", "\"template\": \"receipt\", "
                + "\"data\": {\"order\": {\"id\": \"A-17\", \"total\": 42.5, \"items\": [1, 2, 3]}}"), "succeeded");

        MimeMessage message = smtp.withMessageId(job.getString("result.messageId")).get(0).message();
        assertThat(message.getContentType()).startsWith("text/plain");
        assertThat(((String) message.getContent()).trim()).isEqualTo("Order A-17: 42.5 EUR, 3 items.");
    }

    @Test
    void aTemplateThatFailsToRenderFailsTheJobAtOnce() {
        int before = smtp.received().size();
        JsonPath job = run(email("ann@example.com", "\"template\": \"broken\""), "failed");

        assertThat(job.getInt("attempts")).isEqualTo(1);
        assertThat(job.getString("error")).startsWith("template broken failed to render: ")
                .contains("nameThatNobodyGives");
        assertThat(smtp.received()).hasSize(before);
    }

    @Test
    void aBodyOverMaxBodySizeInUtf8BytesIsRefusedAtEnqueue() {
        // 1024 characters but 2048 bytes: the limit is in bytes, as the SMTP server counts
        assertInvalid(post("/jobs", email("ann@example.com", "\"text\": \"" + "\u00e9".repeat(1024) + "\"")).then(),
                "payload.text");
        assertInvalid(post("/jobs", email("ann@example.com", "\"html\": \"" + "h".repeat(1025) + "\"")).then(),
                "payload.html");
        assertThat(countsOf(queue)).isNull();
        run(email("ann@example.com", "\"html\": \"" + "h".repeat(1024) + "\""), "succeeded");
    }

    private String email(String to, String rest) {
        return """
                {"type": "send_email", "queue": "%s", "maxAttempts": 3,
                 "payload": {"to": "%s", "subject": "Hello", %s}}
                """.formatted(queue, to, rest);
    }

    private static List<String> addresses(Address[] addresses) {
        return Arrays.stream(addresses).map(a -> ((jakarta.mail.internet.InternetAddress) a).getAddress()).toList();
    }

    private static String headerText(MimeMessage message) throws MessagingException {
        List<String> lines = new ArrayList<>();
        message.getAllHeaderLines().asIterator().forEachRemaining(lines::add);
        return String.join("\n", lines);
    }

    /** The text of the first part of this MIME type, wherever it is nested. */
    private static String part(Part part, String type) throws MessagingException, IOException {
        if (part.isMimeType(type)) {
            return ((String) part.getContent()).trim();
        }
        if (part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                String found = part(child, type);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
