package dev.conveyor.email;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.BiConsumer;

import jakarta.inject.Singleton;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.annotation.JsonFormat;

import dev.conveyor.handler.CrossFieldCheck;
import dev.conveyor.handler.JobContext;
import dev.conveyor.handler.JobHandler;
import dev.conveyor.handler.PayloadReader.Violation;
import dev.conveyor.handler.PermanentJobFailure;
import dev.conveyor.job.JobId;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * {@code send_email}: one email through Quarkus Mailer's non-blocking {@link ReactiveMailer}, with a body given as
 * text and/or html, or rendered from a template ({@link EmailTemplates}). Addresses, sizes, the sender and the template
 * are checked at enqueue; what the SMTP server answers decides the outcome ({@link SmtpOutcome}). The Message-ID is
 * made from the job id, the same on every attempt, so that a receiver can recognise a retried message. Logs never
 * hold the body, the template data or the addresses (only their count and domains, at debug level).
 */
@Singleton
public class SendEmailHandler implements JobHandler<SendEmailHandler.Payload, SendEmailHandler.Result> {

    static final String TYPE = "send_email";
    static final int MAX_SUBJECT = 255;
    private static final Logger LOG = Logger.getLogger(SendEmailHandler.class);

    /** {@code to}, {@code cc} and {@code bcc} take one address or a list. */
    @RegisterForReflection
    public record Payload(
            @NotNull(message = "must name at least one recipient") @Size(min = 1, message = "must name at least one recipient")
            @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> to,
            @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> cc,
            @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> bcc,
            String replyTo,
            String from,
            @NotBlank String subject,
            String text,
            String html,
            String template,
            Map<String, Object> data) implements CrossFieldCheck {

        /** Rules that need no configuration; sizes and the sender are checked by the handler. */
        @Override
        public List<Violation> crossFieldViolations() {
            List<Violation> found = new ArrayList<>();
            addresses("to", to, found);
            addresses("cc", cc, found);
            addresses("bcc", bcc, found);
            if (replyTo != null) {
                address("replyTo", replyTo, found);
            }
            if (from != null) {
                address("from", from, found);
            }
            if (subject.length() > MAX_SUBJECT) {
                found.add(new Violation("subject", "must be at most " + MAX_SUBJECT + " characters"));
            } else if (subject.chars().anyMatch(Character::isISOControl)) {
                found.add(new Violation("subject", "must not contain line breaks or other control characters"));
            }
            if (template == null && text == null && html == null) {
                found.add(new Violation("text", "one of text, html or template is required"));
            }
            if (template != null) {
                if (text != null) {
                    found.add(new Violation("text", "must not be set with template"));
                }
                if (html != null) {
                    found.add(new Violation("html", "must not be set with template"));
                }
                if (!EmailTemplates.NAME.matcher(template).matches()) {
                    found.add(new Violation("template", "must be a template name: a-z, 0-9, _ and -, at most 64"));
                }
            } else if (data != null) {
                found.add(new Violation("data", "is only used with template"));
            }
            return found;
        }

        private static void addresses(String field, List<String> list, List<Violation> found) {
            if (list != null) {
                for (int i = 0; i < list.size(); i++) {
                    address(field + "[" + i + "]", list.get(i), found);
                }
            }
        }

        private static void address(String field, String value, List<Violation> found) {
            EmailAddresses.problem(value).ifPresent(why -> found.add(new Violation(field, why)));
        }

        List<String> recipients() {
            List<String> all = new ArrayList<>(to);
            all.addAll(orEmpty(cc));
            all.addAll(orEmpty(bcc));
            return all;
        }
    }

    /** The Message-ID sent (the same on every attempt) and how many recipients the server accepted. */
    @RegisterForReflection
    public record Result(String messageId, int accepted) {
    }

    private final ReactiveMailer mailer;
    private final EmailTemplates templates;
    private final Senders senders;
    private final EmailConfig config;

    SendEmailHandler(ReactiveMailer mailer, EmailTemplates templates, Senders senders, EmailConfig config) {
        this.mailer = mailer;
        this.templates = templates;
        this.senders = senders;
        this.config = config;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Class<Payload> payloadType() {
        return Payload.class;
    }

    @Override
    public List<Violation> configuredViolations(Payload payload) {
        List<Violation> found = new ArrayList<>();
        int recipients = payload.recipients().size();
        if (recipients > config.maxRecipients()) {
            found.add(new Violation("to", "to, cc and bcc together must name at most " + config.maxRecipients()
                    + " recipients, not " + recipients));
        }
        long maxBody = config.maxBodySize().asLongValue();
        BiConsumer<String, String> bodySize = (field, body) -> {
            if (body != null && body.getBytes(StandardCharsets.UTF_8).length > maxBody) {
                found.add(new Violation(field, "must be at most " + maxBody + " bytes (conveyor.email.max-body-size)"));
            }
        };
        bodySize.accept("text", payload.text());
        bodySize.accept("html", payload.html());
        senders.refusal(payload.from()).ifPresent(why -> found.add(new Violation("from", why)));
        if (payload.template() != null && !templates.exists(payload.template())) {
            found.add(new Violation("template", "is not a known template"));
        }
        return found;
    }

    @Override
    public Uni<Result> handle(Payload payload, JobContext context) {
        String from = payload.from() != null ? payload.from() : senders.defaultFrom().orElse(null);
        if (from == null) {
            // the API that accepted the job had a default sender; this worker has none
            return Uni.createFrom().failure(new PermanentJobFailure(
                    "no sender: the job names none and conveyor.email.from is not set on the worker"));
        }
        String messageId = messageId(context.jobId(), from);
        Uni<Mail> mail = payload.template() == null
                ? Uni.createFrom().item(() -> mail(payload, from, messageId, payload.text(), payload.html()))
                : Uni.createFrom().item(() -> templates.render(payload.template(), payload.data()))
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                        .map(rendered -> mail(payload, from, messageId, rendered.text(), rendered.html()));
        int recipients = payload.recipients().size();
        return mail.flatMap(m -> mailer.send(m).onFailure().transform(SmtpOutcome::failure))
                .invoke(() -> {
                    if (LOG.isDebugEnabled()) {
                        LOG.debugf("job %s: email accepted for %d recipients at %s", context.jobId(), recipients,
                                domains(payload));
                    }
                })
                .replaceWith(() -> new Result(messageId, recipients));
    }

    private static Mail mail(Payload payload, String from, String messageId, String text, String html) {
        Mail mail = new Mail().setFrom(from).setTo(payload.to()).setCc(orEmpty(payload.cc()))
                .setBcc(orEmpty(payload.bcc())).setSubject(payload.subject()).setText(text).setHtml(html)
                .addHeader("Message-ID", messageId);
        if (payload.replyTo() != null) {
            mail.setReplyTo(payload.replyTo());
        }
        return mail;
    }

    /**
     * {@code <ulid.queue@domain>}: from the job id, so the same on every attempt, and unique as job ids are; the domain
     * from conveyor.email.message-id-domain, else the sender's.
     */
    String messageId(String jobId, String from) {
        String domain = config.messageIdDomain().filter(d -> !d.isBlank()).orElseGet(() -> EmailAddresses.domain(from));
        JobId id = JobId.parse(jobId).orElseThrow(() -> new IllegalArgumentException("not a job id: " + jobId));
        return "<" + id.ulid() + "." + id.queue() + "@" + domain + ">";
    }

    private static TreeSet<String> domains(Payload payload) {
        TreeSet<String> domains = new TreeSet<>();
        payload.recipients().forEach(address -> domains.add(EmailAddresses.domain(address)));
        return domains;
    }

    private static List<String> orEmpty(List<String> list) {
        return list == null ? List.of() : list;
    }

    /**
     * A string or a list of strings; said in words, not as a oneOf, which Java client generators (openapi-generator)
     * turn into code that does not compile. As the {@code http} type's {@code body}.
     */
    private static final String RECIPIENTS_SCHEMA = """
            {"description": "One address (a string) or a list of 1 or more; to, cc and bcc together at most \
            conveyor.email.max-recipients. An address: ann@example.com or Ann Example <ann@example.com>."}""";

    @Override
    public String payloadSchema() {
        return """
                {"type": "object", "additionalProperties": false, "required": ["to", "subject"], "properties": {
                  "to": %1$s,
                  "cc": %1$s,
                  "bcc": %1$s,
                  "replyTo": {"type": "string", "maxLength": 320},
                  "from": {"type": "string", "maxLength": 320,
                           "description": "Default conveyor.email.from; otherwise an address conveyor.email.allowed-from allows."},
                  "subject": {"type": "string", "minLength": 1, "maxLength": 255, "description": "No line breaks."},
                  "text": {"type": "string", "description": "Plain-text body; at most conveyor.email.max-body-size bytes."},
                  "html": {"type": "string", "description": "HTML body; at most conveyor.email.max-body-size bytes."},
                  "template": {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$",
                               "description": "A template's name (shipped: welcome), instead of text and html."},
                  "data": {"type": "object", "description": "The template's values."}}}
                """.formatted(RECIPIENTS_SCHEMA);
    }

    @Override
    public String resultSchema() {
        return """
                {"type": "object", "required": ["messageId", "accepted"], "properties": {
                  "messageId": {"type": "string", "description": "The Message-ID header sent, the same on every attempt."},
                  "accepted": {"type": "integer", "format": "int32", "minimum": 1,
                               "description": "Recipients (to, cc and bcc) the SMTP server accepted."}}}
                """;
    }

    @Override
    public String examplePayload() {
        return "{\"to\": [\"ann@example.com\"], \"subject\": \"Welcome to Example\", \"template\": \"welcome\", "
                + "\"data\": {\"name\": \"Ann\", \"product\": \"Example\"}}";
    }
}
