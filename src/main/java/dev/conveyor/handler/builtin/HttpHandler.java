package dev.conveyor.handler.builtin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import jakarta.inject.Singleton;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.conveyor.handler.CrossFieldCheck;
import dev.conveyor.handler.JobContext;
import dev.conveyor.handler.JobHandler;
import dev.conveyor.handler.PayloadReader;
import dev.conveyor.handler.PermanentJobFailure;
import dev.conveyor.handler.SchemaPatterns;
import dev.conveyor.http.DestinationPolicy;
import dev.conveyor.http.GuardedClient;
import dev.conveyor.http.HeaderRules;
import dev.conveyor.http.HeaderValue;
import dev.conveyor.http.HttpConfig;
import dev.conveyor.http.OutboundUrl;
import dev.conveyor.http.RefusedRequest;
import dev.conveyor.http.Text;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

/**
 * {@code http}: one HTTP request through the {@link GuardedClient} (allowed destinations only, bounded body, one
 * deadline). A 2xx answer succeeds with its status and body (the first 64 KiB); 408, 429, 5xx, timeouts and network
 * errors are retryable; any other answer, and a request the rules refuse, fails the job at once.
 */
@Singleton
public class HttpHandler implements JobHandler<HttpHandler.Payload, HttpHandler.Result> {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

    @RegisterForReflection
    public record Payload(
            @NotBlank @Pattern(regexp = "GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS", message = "must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS") String method,
            @NotBlank String url,
            Map<String, HeaderValue> headers,
            JsonNode body,
            Duration timeout) implements CrossFieldCheck {

        @Override
        public List<PayloadReader.Violation> crossFieldViolations() {
            List<PayloadReader.Violation> found = new ArrayList<>();
            try {
                OutboundUrl.parse(url);
            } catch (IllegalArgumentException e) {
                found.add(new PayloadReader.Violation("url", e.getMessage()));
            }
            HeaderRules.problems(headers)
                    .forEach((path, message) -> found.add(new PayloadReader.Violation(path, message)));
            if (timeout != null && (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0)) {
                found.add(new PayloadReader.Violation("timeout", "must be above zero and at most PT10M"));
            }
            return found;
        }
    }

    @RegisterForReflection
    public record Result(int status, String body, boolean truncated) {
    }

    private final GuardedClient client;
    private final DestinationPolicy policy;

    HttpHandler(GuardedClient client, DestinationPolicy policy) {
        this.client = client;
        this.policy = policy;
    }

    /** Outside CDI (tests). */
    static HttpHandler create(Vertx vertx, HttpConfig config) {
        return new HttpHandler(GuardedClient.create(vertx, config),
                DestinationPolicy.allowing(config.allowedNetworks().orElse(List.of())));
    }

    @Override
    public String type() {
        return "http";
    }

    @Override
    public Class<Payload> payloadType() {
        return Payload.class;
    }

    /** A literal blocked address is refused at enqueue; host names are checked when the worker resolves them. */
    @Override
    public List<PayloadReader.Violation> configuredViolations(Payload payload) {
        return policy.literalRefusal(payload.url())
                .map(why -> List.of(new PayloadReader.Violation("url", why)))
                .orElse(List.of());
    }

    @Override
    public Uni<Result> handle(Payload payload, JobContext context) {
        OutboundUrl url;
        try {
            url = OutboundUrl.parse(payload.url());
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(new PermanentJobFailure("url " + e.getMessage()));
        }
        Map<String, HeaderValue> headers = payload.headers() == null ? Map.of() : payload.headers();
        Buffer body = null;
        if (payload.body() != null && !payload.body().isNull()) {
            body = Buffer.buffer(payload.body().isTextual() ? payload.body().textValue() : payload.body().toString());
            if (!payload.body().isTextual() && headers.keySet().stream().noneMatch("content-type"::equalsIgnoreCase)) {
                headers = new HashMap<>(headers);
                headers.put("content-type", HeaderValue.literal("application/json"));
            }
        }
        GuardedClient.Request request = new GuardedClient.Request(HttpMethod.valueOf(payload.method()), url, headers,
                body);
        String method = payload.method();
        return client.send(request, requestTimeout(payload, context))
                .onFailure().transform(e -> failure(method, url, e))
                .map(HttpHandler::outcome);
    }

    /** The payload's timeout, cut to the job's deadline so that a timed-out job's request is aborted with it. */
    static Duration requestTimeout(Payload payload, JobContext context) {
        Duration wanted = payload.timeout() == null ? DEFAULT_TIMEOUT : payload.timeout();
        Duration left = context.remaining();
        Duration timeout = left.compareTo(wanted) < 0 ? left : wanted;
        return timeout.toMillis() < 1 ? Duration.ofMillis(1) : timeout;
    }

    /** Refusals are permanent; everything else (network, timeout) may pass: retryable, naming the URL safely. */
    private static Throwable failure(String method, OutboundUrl url, Throwable e) {
        if (e instanceof RefusedRequest) {
            return new PermanentJobFailure(e.getMessage(), e);
        }
        if (e instanceof TimeoutException) {
            return new IllegalStateException(e.getMessage(), e);
        }
        return new IllegalStateException(method + " " + url + ": " + Text.clean(String.valueOf(e.getMessage())), e);
    }

    private static Result outcome(GuardedClient.Answer answer) {
        int status = answer.status();
        if (status >= 200 && status < 300) {
            return new Result(status, answer.body(), answer.truncated());
        }
        String message = "HTTP " + status + " " + answer.reason();
        if (status == 408 || status == 429 || status >= 500) {
            throw new IllegalStateException(message);
        }
        throw new PermanentJobFailure(message);
    }

    @Override
    public String payloadSchema() {
        return """
                {"type": "object", "additionalProperties": false, "required": ["method", "url"], "properties": {
                  "method": {"type": "string", "enum": ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]},
                  "url": {"type": "string", "format": "uri", "description": "Absolute http or https URL."},
                  "headers": {"type": "object", "description": "Request headers: each a value, or the name of a secret.",
                    "additionalProperties": {"oneOf": [
                      {"type": "string"},
                      {"type": "object", "additionalProperties": false, "required": ["secret"],
                       "properties": {"secret": {"type": "string",
                         "description": "Name of a conveyor.http.secrets.* value, looked up by the worker."}}}]}},
                  "body": {"description": "A JSON string is sent as text; any other JSON as application/json."},
                  "timeout": {"type": "string", "format": "duration", "pattern": "%s",
                              "description": "ISO-8601 duration above zero, at most PT10M; default PT30S."}}}
                """.formatted(SchemaPatterns.DURATION);
    }

    @Override
    public String resultSchema() {
        return """
                {"type": "object", "required": ["status", "body", "truncated"], "properties": {
                  "status": {"type": "integer", "format": "int32", "minimum": 200, "maximum": 299},
                  "body": {"type": "string", "description": "The response body, the first 64 KiB of it."},
                  "truncated": {"type": "boolean"}}}
                """;
    }

    @Override
    public String examplePayload() {
        return "{\"method\": \"POST\", \"url\": \"https://example.com/webhook\", "
                + "\"headers\": {\"x-source\": \"conveyor\", \"Authorization\": {\"secret\": \"crm-token\"}}, "
                + "\"body\": {\"event\": \"signup\"}, \"timeout\": \"PT10S\"}";
    }
}
