package dev.conveyor.handler.builtin;

import java.time.Duration;

import jakarta.inject.Singleton;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import dev.conveyor.handler.JobContext;
import dev.conveyor.handler.JobHandler;
import dev.conveyor.handler.PermanentJobFailure;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * {@code sleep}: waits {@code ms} on a timer (no thread is blocked), then succeeds, except that the first
 * {@code failTimes} attempts fail (retryable unless {@code retryable} is false): for demos and tests of retries.
 * While it waits it reports the share of the wait done as progress, every {@code max(100 ms, ms / 20)}, and 100 at
 * its end.
 */
@Singleton
public class SleepHandler implements JobHandler<SleepHandler.Payload, SleepHandler.Result> {

    @RegisterForReflection
    public record Payload(
            @NotNull @Min(0) @MaxSleep Long ms,
            @Min(0) @Max(100) Integer failTimes,
            Boolean retryable) {
    }

    @RegisterForReflection
    public record Result(long sleptMs, int attempt) {
    }

    private static final Duration MIN_PROGRESS_STEP = Duration.ofMillis(100);

    private final BuiltinHandlersConfig config;

    SleepHandler(BuiltinHandlersConfig config) {
        this.config = config;
    }

    @Override
    public String type() {
        return "sleep";
    }

    @Override
    public Class<Payload> payloadType() {
        return Payload.class;
    }

    @Override
    public Uni<Result> handle(Payload payload, JobContext context) {
        Uni<Result> slept = payload.ms() == 0
                ? Uni.createFrom().item(new Result(0, context.attempt()))
                : withProgress(Uni.createFrom().item(new Result(payload.ms(), context.attempt()))
                        .onItem().delayIt().by(Duration.ofMillis(payload.ms())), payload.ms(), context);
        int failTimes = payload.failTimes() == null ? 0 : payload.failTimes();
        return slept.onItem().transform(result -> {
            if (context.attempt() <= failTimes) {
                String message = "failing attempt " + context.attempt() + " of the first " + failTimes + " on purpose";
                throw Boolean.FALSE.equals(payload.retryable()) ? new PermanentJobFailure(message)
                        : new IllegalStateException(message);
            }
            return result;
        });
    }

    /** Reports the share of {@code ms} gone by while {@code wait} runs, and 100 when it is over. */
    private static Uni<Result> withProgress(Uni<Result> wait, long ms, JobContext context) {
        Duration step = Duration.ofMillis(Math.max(MIN_PROGRESS_STEP.toMillis(), ms / 20));
        return Uni.createFrom().deferred(() -> {
            long start = System.nanoTime();
            Cancellable ticks = Multi.createFrom().ticks().startingAfter(step).every(step).subscribe().with(tick -> {
                long elapsed = (System.nanoTime() - start) / 1_000_000;
                context.progress((int) Math.min(99, elapsed * 100 / ms));
            });
            return wait.onTermination().invoke(ticks::cancel).invoke(() -> context.progress(100));
        });
    }

    @Override
    public String examplePayload() {
        return "{\"ms\": 1000, \"failTimes\": 1, \"retryable\": true}";
    }

    @Override
    public String payloadSchema() {
        return """
                {"type": "object", "additionalProperties": false, "required": ["ms"], "properties": {
                  "ms": {"type": "integer", "format": "int64", "minimum": 0, "maximum": %d,
                         "description": "Milliseconds to wait, at most conveyor.handler.max-sleep."},
                  "failTimes": {"type": "integer", "format": "int32", "minimum": 0, "maximum": 100,
                                "description": "The first failTimes attempts fail on purpose."},
                  "retryable": {"type": "boolean", "description": "false: those failures are not retried."}}}
                """.formatted(config.maxSleep().toMillis());
    }

    @Override
    public String resultSchema() {
        return """
                {"type": "object", "required": ["sleptMs", "attempt"], "properties": {
                  "sleptMs": {"type": "integer", "format": "int64"},
                  "attempt": {"type": "integer", "format": "int32", "description": "The attempt that succeeded."}}}
                """;
    }
}
