package dev.conveyor.handler.builtin;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.conveyor.handler.CrossFieldCheck;
import dev.conveyor.handler.JobContext;
import dev.conveyor.handler.JobHandler;
import dev.conveyor.handler.PayloadReader;
import dev.conveyor.handler.PermanentJobFailure;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;

/**
 * {@code http}: performs one HTTP request with the reactive Vert.x web client. A 2xx answer succeeds with its status
 * and (truncated) body; 408, 429, 5xx and network errors are retryable; any other answer fails the job at once.
 */
@Singleton
public class HttpHandler implements JobHandler<HttpHandler.Payload, HttpHandler.Result> {

    static final int MAX_BODY_CHARS = 64 * 1024;
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

    @RegisterForReflection
    public record Payload(
            @NotBlank @Pattern(regexp = "GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS", message = "must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS") String method,
            @NotBlank @Pattern(regexp = "https?://[^\\s/?#]+[^\\s]*", message = "must be an absolute http or https URL") String url,
            Map<String, String> headers,
            JsonNode body,
            Duration timeout) implements CrossFieldCheck {

        @Override
        public List<PayloadReader.Violation> crossFieldViolations() {
            if (timeout != null && (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0)) {
                return List.of(new PayloadReader.Violation("timeout", "must be above zero and at most PT10M"));
            }
            return List.of();
        }
    }

    @RegisterForReflection
    public record Result(int status, String body, boolean truncated) {
    }

    private final WebClient client;

    HttpHandler(Vertx vertx) {
        this.client = WebClient.create(vertx, new WebClientOptions().setUserAgent("conveyor"));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    @Override
    public String type() {
        return "http";
    }

    @Override
    public Class<Payload> payloadType() {
        return Payload.class;
    }

    @Override
    public Uni<Result> handle(Payload payload, JobContext context) {
        HttpRequest<Buffer> request = client.requestAbs(HttpMethod.valueOf(payload.method()), payload.url())
                .timeout(requestTimeout(payload, context).toMillis());
        if (payload.headers() != null) {
            payload.headers().forEach(request::putHeader);
        }
        Uni<HttpResponse<Buffer>> sent;
        if (payload.body() == null || payload.body().isNull()) {
            sent = request.send();
        } else if (payload.body().isTextual()) {
            sent = request.sendBuffer(Buffer.buffer(payload.body().textValue()));
        } else {
            if (request.headers().get("content-type") == null) {
                request.putHeader("content-type", "application/json");
            }
            sent = request.sendBuffer(Buffer.buffer(payload.body().toString()));
        }
        return sent.map(HttpHandler::outcome);
    }

    /** The payload's timeout, cut to the job's deadline so that a timed-out job's request is aborted with it. */
    static Duration requestTimeout(Payload payload, JobContext context) {
        Duration wanted = payload.timeout() == null ? DEFAULT_TIMEOUT : payload.timeout();
        Duration left = context.remaining();
        Duration timeout = left.compareTo(wanted) < 0 ? left : wanted;
        return timeout.toMillis() < 1 ? Duration.ofMillis(1) : timeout;
    }

    private static Result outcome(HttpResponse<Buffer> response) {
        int status = response.statusCode();
        String body = response.bodyAsString();
        if (body == null) {
            body = "";
        }
        boolean truncated = body.length() > MAX_BODY_CHARS;
        if (truncated) {
            body = body.substring(0, MAX_BODY_CHARS);
        }
        if (status >= 200 && status < 300) {
            return new Result(status, body, truncated);
        }
        String message = "HTTP " + status + " " + response.statusMessage();
        if (status == 408 || status == 429 || status >= 500) {
            throw new IllegalStateException(message);
        }
        throw new PermanentJobFailure(message);
    }

    @Override
    public String examplePayload() {
        return "{\"method\": \"POST\", \"url\": \"https://example.com/webhook\", "
                + "\"headers\": {\"x-source\": \"conveyor\"}, \"body\": {\"event\": \"signup\"}, \"timeout\": \"PT10S\"}";
    }
}
