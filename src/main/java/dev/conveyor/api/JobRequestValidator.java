package dev.conveyor.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.conveyor.handler.HandlerRegistry;
import dev.conveyor.handler.JobHandler;
import dev.conveyor.handler.PayloadReader;
import dev.conveyor.job.Backoff;
import dev.conveyor.job.NewJob;
import dev.conveyor.job.QueueName;
import dev.conveyor.job.Unique;
import dev.conveyor.job.Utf8;

/**
 * Checks a job request and builds the {@link NewJob}. Bean Validation checks each field against the constraints of
 * {@link JobRequest}; this class adds what they cannot: the job type and its payload, and the rules across fields.
 * Every problem is reported at once, in the order of the request's fields.
 */
@Singleton
public class JobRequestValidator {

    /** The order of {@link JobRequest}'s fields, in which errors are listed. */
    private static final List<String> FIELD_ORDER = List.of("type", "payload", "queue", "priority", "maxAttempts",
            "runAt", "delay", "timeout", "backoff", "idempotencyKey", "callback", "unique");
    private static final Comparator<Problem.FieldError> IN_FIELD_ORDER = Comparator
            .comparingInt((Problem.FieldError error) -> FIELD_ORDER.indexOf(topLevel(error.field())))
            .thenComparing(Problem.FieldError::field);

    private final HandlerRegistry handlers;
    private final PayloadReader payloads;
    private final ApiConfig config;
    private final ObjectMapper mapper;
    private final Validator validator;
    private final CallbackRules callbacks;
    private final UniqueConfig uniqueConfig;

    JobRequestValidator(HandlerRegistry handlers, PayloadReader payloads, ApiConfig config, ObjectMapper mapper,
            Validator validator, CallbackRules callbacks, UniqueConfig uniqueConfig) {
        this.callbacks = callbacks;
        this.uniqueConfig = uniqueConfig;
        this.handlers = handlers;
        this.payloads = payloads;
        this.config = config;
        this.mapper = mapper;
        this.validator = validator;
    }

    /**
     * @param prefix    prepended to field names in errors ("" for one job, "jobs[3]." in a batch)
     * @param headerKey the Idempotency-Key header, or null
     * @return the job, or null when something is wrong (then {@code errors} says what)
     */
    public NewJob validate(JobRequest request, String headerKey, String prefix, List<Problem.FieldError> errors) {
        if (request == null) {
            errors.add(new Problem.FieldError(prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1),
                    "must be a job object"));
            return null;
        }
        List<Problem.FieldError> found = new ArrayList<>();
        validator.validate(request).forEach(violation -> found.add(fieldError(violation)));
        if (request.idempotencyKey() == null && headerKey != null) {
            validator.validateValue(JobRequest.class, "idempotencyKey", headerKey)
                    .forEach(violation -> found.add(fieldError(violation)));
        }
        JsonNode payload = request.payload() == null || request.payload().isNull() ? mapper.createObjectNode()
                : request.payload();
        String payloadJson = payload.toString();
        checkTypeAndPayload(request.type(), payload, payloadJson, found);
        checkAcrossFields(request, headerKey, found);
        if (request.callback() != null) {
            callbacks.check(request.callback(), found);
        }
        if (!found.isEmpty()) {
            found.sort(IN_FIELD_ORDER);
            found.forEach(error -> errors.add(new Problem.FieldError(prefix + error.field(), error.message())));
            return null;
        }
        return newJob(request, headerKey, payloadJson);
    }

    /** The type must name a handler, and the payload must be valid text, not too large, and valid for it. */
    private void checkTypeAndPayload(String type, JsonNode payload, String payloadJson,
            List<Problem.FieldError> found) {
        JobHandler<?, ?> handler = null;
        if (type != null && !type.isBlank()) {
            handler = handlers.enqueueable(type).orElse(null);
            if (handler == null && UnicodeText.isValid(type)) {
                found.add(new Problem.FieldError("type", "unknown job type '" + type + "'; known types: "
                        + String.join(", ", handlers.all().keySet())));
            } else if (handler == null) {
                found.add(new Problem.FieldError("type", UnicodeText.RULE));
            }
        }
        long limit = config.maxPayloadSize().asLongValue();
        // one scan of the JSON text; the walk that names the field only when it found something
        String invalidText = payload.isObject() && !UnicodeText.isValid(payloadJson)
                ? UnicodeText.firstInvalid(payload, "payload") : null;
        if (!payload.isObject()) {
            found.add(new Problem.FieldError("payload", "must be a JSON object"));
        } else if (invalidText != null) {
            found.add(new Problem.FieldError(invalidText, UnicodeText.RULE));
        } else if (Utf8.length(payloadJson) > limit) {
            found.add(new Problem.FieldError("payload", "has " + Utf8.length(payloadJson)
                    + " bytes of JSON; at most " + limit + " are allowed (conveyor.api.max-payload-size)"));
        } else if (handler != null) {
            for (PayloadReader.Violation v : payloads.check(handler, payload)) {
                found.add(new Problem.FieldError(v.path().isEmpty() ? "payload" : "payload." + v.path(), v.message()));
            }
        }
    }

    /** Rules that span fields or need configured bounds, checked once each field involved is valid on its own. */
    private void checkAcrossFields(JobRequest request, String headerKey, List<Problem.FieldError> found) {
        Duration ahead = config.maxScheduleAhead();
        if (request.runAt() != null && isValid("runAt", found)
                && TimeText.rfc3339(request.runAt()).isAfter(Instant.now().plus(ahead))) {
            found.add(new Problem.FieldError("runAt", "must be at most " + TimeText.text(ahead)
                    + " from now (conveyor.api.max-schedule-ahead)"));
        }
        if (request.delay() != null && isValid("delay", found) && TimeText.duration(request.delay()).compareTo(ahead) > 0) {
            found.add(new Problem.FieldError("delay", "must be at most " + TimeText.text(ahead)
                    + " (conveyor.api.max-schedule-ahead)"));
        }
        if (request.timeout() != null && isValid("timeout", found)
                && TimeText.duration(request.timeout()).compareTo(config.maxTimeout()) > 0) {
            found.add(new Problem.FieldError("timeout", "must be at most " + TimeText.text(config.maxTimeout())
                    + " (conveyor.api.max-timeout)"));
        }
        if (request.runAt() != null && request.delay() != null && isValid("runAt", found) && isValid("delay", found)) {
            found.add(new Problem.FieldError("delay", "give either runAt or delay, not both"));
        }
        if (request.backoff() != null && request.backoff().maxDelay() != null && isValid("backoff.initialDelay", found)
                && isValid("backoff.maxDelay", found)
                && TimeText.duration(request.backoff().maxDelay())
                        .compareTo(TimeText.duration(request.backoff().initialDelay())) < 0) {
            found.add(new Problem.FieldError("backoff.maxDelay", JobRequest.MAX_DELAY_RULE));
        }
        if (request.idempotencyKey() != null && headerKey != null && !headerKey.equals(request.idempotencyKey())
                && isValid("idempotencyKey", found)) {
            found.add(new Problem.FieldError("idempotencyKey", "differs from the Idempotency-Key header"));
        }
        checkUnique(request.unique(), found);
    }

    /** The scope must be known, the ttl within conveyor.unique.max-ttl (the key is checked by its constraints). */
    private void checkUnique(UniqueRequest unique, List<Problem.FieldError> found) {
        if (unique == null) {
            return;
        }
        if (unique.scope() != null && Unique.Scope.fromWireName(unique.scope()) == null) {
            found.add(new Problem.FieldError("unique.scope", "must be one of queued, active, until-done"));
        }
        Duration max = uniqueConfig.maxTtl();
        if (unique.ttl() != null && isValid("unique.ttl", found) && TimeText.duration(unique.ttl()).compareTo(max) > 0) {
            found.add(new Problem.FieldError("unique.ttl", "must be at most " + TimeText.text(max)
                    + " (conveyor.unique.max-ttl)"));
        }
    }

    /** The unique key of a valid request, defaults applied; null without one. */
    private static Unique unique(UniqueRequest unique) {
        if (unique == null) {
            return null;
        }
        return new Unique(unique.key(),
                unique.scope() == null ? Unique.Scope.DEFAULT : Unique.Scope.fromWireName(unique.scope()),
                TimeText.duration(unique.ttl() == null ? UniqueRequest.DEFAULT_TTL : unique.ttl()));
    }

    /** The job of a valid request, defaults applied. */
    private NewJob newJob(JobRequest request, String headerKey, String payloadJson) {
        String queue = request.queue() == null ? QueueName.DEFAULT : request.queue();
        int priority = request.priority() == null ? NewJob.DEFAULT_PRIORITY : request.priority();
        int maxAttempts = request.maxAttempts() == null ? config.defaultMaxAttempts() : request.maxAttempts();
        Instant runAt = request.runAt() == null ? null : TimeText.rfc3339(request.runAt());
        Duration delay = request.delay() == null ? null : TimeText.duration(request.delay());
        Duration timeout = request.timeout() == null ? null : TimeText.duration(request.timeout());
        Backoff backoff = request.backoff() == null ? null
                : new Backoff(TimeText.duration(request.backoff().initialDelay()),
                        request.backoff().maxDelay() == null ? null : TimeText.duration(request.backoff().maxDelay()));
        String idempotencyKey = request.idempotencyKey() != null ? request.idempotencyKey() : headerKey;
        return new NewJob(request.type(), queue, priority, payloadJson, maxAttempts, runAt, delay, timeout, backoff,
                idempotencyKey,
                idempotencyKey == null ? null : fingerprint(request, queue, priority, maxAttempts, payloadJson, backoff),
                request.callback() == null ? null : callbacks.stored(request.callback(), priority),
                unique(request.unique()));
    }

    private static Problem.FieldError fieldError(ConstraintViolation<JobRequest> violation) {
        return new Problem.FieldError(violation.getPropertyPath().toString(), violation.getMessage());
    }

    private static boolean isValid(String field, List<Problem.FieldError> found) {
        return found.stream().noneMatch(error -> error.field().equals(field));
    }

    /** {@code backoff} of {@code backoff.maxDelay}, {@code payload} of {@code payload.ms}. */
    private static String topLevel(String field) {
        int dot = field.indexOf('.');
        return dot < 0 ? field : field.substring(0, dot);
    }

    /** Identifies "the same request" for idempotency: every field that shapes the job, defaults applied. */
    private String fingerprint(JobRequest request, String queue, int priority, int maxAttempts, String payload,
            Backoff backoff) {
        ObjectNode canonical = mapper.createObjectNode()
                .put("type", request.type()).put("queue", queue).put("priority", priority)
                .put("maxAttempts", maxAttempts).put("payload", payload).put("runAt", request.runAt())
                .put("delay", request.delay()).put("timeout", request.timeout())
                .put("backoff", backoff == null ? null : backoff.toString());
        if (request.callback() != null) {
            // only with a callback, so that the hashes of requests without one stay as they were
            canonical.put("callbackUrl", request.callback().url())
                    .put("callbackEvents", String.join(",", CallbackRules.events(request.callback())));
        }
        Unique unique = unique(request.unique());
        if (unique != null) {
            // only with a unique key, for the same reason
            canonical.put("unique", unique.scope().wireName() + " " + unique.ttl() + " " + unique.key());
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
