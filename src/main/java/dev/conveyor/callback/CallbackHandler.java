package dev.conveyor.callback;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Singleton;
import jakarta.validation.constraints.NotBlank;

import dev.conveyor.handler.JobContext;
import dev.conveyor.handler.JobHandler;
import dev.conveyor.handler.PermanentJobFailure;
import dev.conveyor.http.GuardedClient;
import dev.conveyor.http.HeaderValue;
import dev.conveyor.http.OutboundUrl;
import dev.conveyor.http.RefusedRequest;
import dev.conveyor.http.Text;
import dev.conveyor.job.JobId;
import dev.conveyor.role.WorkerRole;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

/**
 * {@code callback}: one try of a completion webhook's delivery, a job that the script ending the job created (see
 * {@code includes/callback.lua}). It POSTs the job's view as it is now, signed, through the {@link GuardedClient}
 * (the rules of {@code http} jobs; redirects never followed). A 2xx answer delivers it; any other answer, a timeout or
 * a network error is retried with the delivery's backoff; a refused destination, or a job that no longer exists,
 * fails it for good. Internal: clients cannot enqueue it, so Conveyor signs only its own job views.
 */
@Singleton
@WorkerRole
public class CallbackHandler implements JobHandler<CallbackHandler.Payload, CallbackHandler.Result> {

    static final String TYPE = "callback";
    static final String USER_AGENT = "conveyor-webhooks";

    /** The job whose view is sent, the status it ended in, and where to. */
    @RegisterForReflection
    public record Payload(@NotBlank String job, @NotBlank String event, @NotBlank String url) {
    }

    @RegisterForReflection
    public record Result(int status) {
    }

    private final GuardedClient client;
    private final JobDocuments documents;
    private final CallbackConfig config;

    CallbackHandler(GuardedClient client, JobDocuments documents, CallbackConfig config) {
        this.client = client;
        this.documents = documents;
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
    public boolean internal() {
        return true;
    }

    @Override
    public Uni<Result> handle(Payload payload, JobContext context) {
        OutboundUrl url;
        try {
            url = OutboundUrl.parse(payload.url());
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(new PermanentJobFailure("callback url " + e.getMessage()));
        }
        if (config.secret().isEmpty()) {
            return Uni.createFrom().failure(new IllegalStateException("cannot sign the delivery: this worker has no "
                    + "signing secret (conveyor.callbacks.secret)"));
        }
        JobId job = new JobId(context.queue(), payload.job());
        return documents.json(job).chain(body -> {
            if (body.isEmpty()) {
                throw new PermanentJobFailure("job " + job + " no longer exists (removed by its queue's retention "
                        + "before its callback was delivered)");
            }
            Map<String, HeaderValue> headers = Map.of(
                    "content-type", HeaderValue.literal("application/json"),
                    "user-agent", HeaderValue.literal(USER_AGENT),
                    "conveyor-event", HeaderValue.literal(payload.event()),
                    "conveyor-delivery-id", HeaderValue.literal(context.jobId()),
                    "conveyor-signature", HeaderValue.literal(Signature.header(Instant.now().getEpochSecond(),
                            body.get(), secrets())));
            return client.send(new GuardedClient.Request(HttpMethod.POST, url, headers, Buffer.buffer(body.get())),
                            timeout(context), false)
                    .onFailure().transform(e -> failure(url, e));
        }).map(CallbackHandler::outcome);
    }

    private List<String> secrets() {
        List<String> secrets = new ArrayList<>();
        config.secret().map(String::strip).ifPresent(secrets::add);
        config.previousSecret().map(String::strip).ifPresent(secrets::add);
        return secrets;
    }

    /** The receiver's timeout, cut to the attempt's deadline. */
    private Duration timeout(JobContext context) {
        Duration left = context.remaining();
        Duration timeout = left.compareTo(config.timeout()) < 0 ? left : config.timeout();
        return timeout.toMillis() < 1 ? Duration.ofMillis(1) : timeout;
    }

    private static Throwable failure(OutboundUrl url, Throwable e) {
        if (e instanceof RefusedRequest || e instanceof PermanentJobFailure) {
            return new PermanentJobFailure(e.getMessage(), e);
        }
        return new IllegalStateException("POST " + url + ": " + Text.clean(String.valueOf(e.getMessage())), e);
    }

    private static Result outcome(GuardedClient.Answer answer) {
        if (answer.status() >= 200 && answer.status() < 300) {
            return new Result(answer.status());
        }
        throw new IllegalStateException("HTTP " + answer.status() + " " + answer.reason());
    }

    @Override
    public String examplePayload() {
        return "{\"job\": \"01JDQ8Z6V3M4T2K9N7P5R1S0XA\", \"event\": \"succeeded\", "
                + "\"url\": \"https://example.com/hooks/conveyor\"}";
    }
}
