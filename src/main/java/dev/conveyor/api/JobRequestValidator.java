package dev.conveyor.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.conveyor.handler.HandlerRegistry;
import dev.conveyor.handler.JobHandler;
import dev.conveyor.handler.PayloadReader;
import dev.conveyor.job.Backoff;
import dev.conveyor.job.NewJob;
import dev.conveyor.job.QueueName;

/** Checks every field of a job request (and its payload against its type) and builds the {@link NewJob}. */
@Singleton
public class JobRequestValidator {

    static final Duration MAX_DELAY = Duration.ofDays(365);
    static final Duration MAX_TIMEOUT = Duration.ofHours(24);
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

    private final HandlerRegistry handlers;
    private final PayloadReader payloads;
    private final ApiConfig config;
    private final ObjectMapper mapper;

    JobRequestValidator(HandlerRegistry handlers, PayloadReader payloads, ApiConfig config, ObjectMapper mapper) {
        this.handlers = handlers;
        this.payloads = payloads;
        this.config = config;
        this.mapper = mapper;
    }

    /**
     * @param prefix    prepended to field names in errors ("" for one job, "jobs[3]." in a batch)
     * @param headerKey the Idempotency-Key header, or null
     * @return the job, or null when something is wrong (then {@code errors} says what)
     */
    public NewJob validate(JobRequest request, String headerKey, String prefix, List<Problem.FieldError> errors) {
        int before = errors.size();
        if (request == null) {
            errors.add(new Problem.FieldError(prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1),
                    "must be a job object"));
            return null;
        }
        Field f = (name, message) -> errors.add(new Problem.FieldError(prefix + name, message));

        JobHandler<?, ?> handler = null;
        if (request.type() == null || request.type().isBlank()) {
            f.add("type", "is required");
        } else {
            handler = handlers.find(request.type()).orElse(null);
            if (handler == null) {
                f.add("type", "unknown job type '" + request.type() + "'; known types: "
                        + String.join(", ", handlers.all().keySet()));
            }
        }

        JsonNode payload = request.payload() == null || request.payload().isNull() ? mapper.createObjectNode()
                : request.payload();
        if (!payload.isObject()) {
            f.add("payload", "must be a JSON object");
        } else if (handler != null) {
            for (PayloadReader.Violation v : payloads.check(handler, payload)) {
                f.add(v.path().isEmpty() ? "payload" : "payload." + v.path(), v.message());
            }
        }

        String queue = request.queue() == null ? QueueName.DEFAULT : request.queue();
        if (!QueueName.isValid(queue)) {
            f.add("queue", "must match " + QueueName.RULE);
        }

        int priority = request.priority() == null ? NewJob.DEFAULT_PRIORITY : request.priority();
        if (priority < NewJob.HIGHEST_PRIORITY || priority > NewJob.LOWEST_PRIORITY) {
            f.add("priority", "must be between 1 (highest) and 10 (lowest)");
        }

        int maxAttempts = request.maxAttempts() == null ? config.defaultMaxAttempts() : request.maxAttempts();
        if (maxAttempts < 1 || maxAttempts > NewJob.MAX_ATTEMPTS_LIMIT) {
            f.add("maxAttempts", "must be between 1 and " + NewJob.MAX_ATTEMPTS_LIMIT);
        }

        Instant runAt = null;
        if (request.runAt() != null && request.delay() != null) {
            f.add("delay", "give either runAt or delay, not both");
        } else if (request.runAt() != null) {
            runAt = rfc3339(request.runAt());
            if (runAt == null) {
                f.add("runAt", "must be an RFC 3339 date-time with offset, such as 2030-01-01T09:00:00Z");
            }
        } else if (request.delay() != null) {
            Duration delay = duration(request.delay());
            if (delay == null || delay.isNegative() || delay.compareTo(MAX_DELAY) > 0) {
                f.add("delay", "must be an ISO-8601 duration between PT0S and P365D, such as PT10M");
            } else {
                runAt = Instant.now().plus(delay).truncatedTo(ChronoUnit.MILLIS);
            }
        }

        Duration timeout = null;
        if (request.timeout() != null) {
            timeout = duration(request.timeout());
            if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
                f.add("timeout", "must be an ISO-8601 duration above zero and at most PT24H, such as PT30S");
            }
        }

        Backoff backoff = null;
        if (request.backoff() != null) {
            Duration initial = duration(request.backoff().initialDelay());
            String maxText = request.backoff().maxDelay();
            Duration max = maxText == null ? null : duration(maxText);
            if (initial == null || initial.isNegative() || initial.isZero() || initial.compareTo(MAX_DELAY) > 0) {
                f.add("backoff.initialDelay", "must be an ISO-8601 duration above zero, such as PT5S");
            } else if (maxText != null && (max == null || max.compareTo(initial) < 0 || max.compareTo(MAX_DELAY) > 0)) {
                f.add("backoff.maxDelay", "must be an ISO-8601 duration at least initialDelay and at most P365D");
            } else {
                backoff = new Backoff(initial, max);
            }
        }

        String idempotencyKey = request.idempotencyKey() != null ? request.idempotencyKey() : headerKey;
        if (request.idempotencyKey() != null && headerKey != null && !headerKey.equals(request.idempotencyKey())) {
            f.add("idempotencyKey", "differs from the Idempotency-Key header");
        } else if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            f.add("idempotencyKey", "must be 1 to 255 visible ASCII characters");
        }

        if (errors.size() > before) {
            return null;
        }
        String payloadJson = payload.toString();
        return new NewJob(request.type(), queue, priority, payloadJson, maxAttempts, runAt, timeout, backoff,
                idempotencyKey,
                idempotencyKey == null ? null : fingerprint(request, queue, priority, maxAttempts, payloadJson, backoff));
    }

    /** Identifies "the same request" for idempotency: every field that shapes the job, defaults applied. */
    private String fingerprint(JobRequest request, String queue, int priority, int maxAttempts, String payload,
            Backoff backoff) {
        ObjectNode canonical = mapper.createObjectNode()
                .put("type", request.type()).put("queue", queue).put("priority", priority)
                .put("maxAttempts", maxAttempts).put("payload", payload).put("runAt", request.runAt())
                .put("delay", request.delay()).put("timeout", request.timeout())
                .put("backoff", backoff == null ? null : backoff.toString());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The instant, or null when the text is not an RFC 3339 date-time. Java also accepts signed years of more than
     * four digits, which RFC 3339 does not, and whose instants do not fit in epoch milliseconds.
     */
    private static Instant rfc3339(String text) {
        try {
            OffsetDateTime parsed = OffsetDateTime.parse(text);
            // the store keeps milliseconds: answer now with the instant every later read will show
            return parsed.getYear() >= 0 && parsed.getYear() <= 9999
                    ? parsed.toInstant().truncatedTo(ChronoUnit.MILLIS)
                    : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Duration duration(String text) {
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @FunctionalInterface
    private interface Field {
        void add(String name, String message);
    }
}
