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
import io.smallrye.mutiny.Uni;

/**
 * {@code sleep}: waits {@code ms} on a timer (no thread is blocked), then succeeds, except that the first
 * {@code failTimes} attempts fail (retryable unless {@code retryable} is false): for demos and tests of retries.
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
                : Uni.createFrom().item(new Result(payload.ms(), context.attempt()))
                        .onItem().delayIt().by(Duration.ofMillis(payload.ms()));
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

    @Override
    public String examplePayload() {
        return "{\"ms\": 1000, \"failTimes\": 1, \"retryable\": true}";
    }
}
