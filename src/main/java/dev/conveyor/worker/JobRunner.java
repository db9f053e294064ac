package dev.conveyor.worker;

import java.time.Duration;
import java.time.Instant;

import jakarta.inject.Singleton;

import dev.conveyor.handler.HandlerRegistry;
import dev.conveyor.handler.JobContext;
import dev.conveyor.handler.JobHandler;
import dev.conveyor.handler.PayloadReader;
import dev.conveyor.handler.PermanentJobFailure;
import dev.conveyor.job.Utf8;
import dev.conveyor.queue.ClaimedJob;
import dev.conveyor.role.WorkerRole;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/** Runs one claimed job through its handler, with its timeout, until it ends or is stopped. Records nothing. */
@Singleton
@WorkerRole
class JobRunner {

    private final HandlerRegistry handlers;
    private final PayloadReader payloads;
    private final WorkerConfig config;
    private final WorkerMetrics metrics;
    private final ProgressReports progress;
    private final ArtifactAttachments artifacts;

    JobRunner(HandlerRegistry handlers, PayloadReader payloads, WorkerConfig config, WorkerMetrics metrics,
            ProgressReports progress, ArtifactAttachments artifacts) {
        this.handlers = handlers;
        this.payloads = payloads;
        this.config = config;
        this.metrics = metrics;
        this.progress = progress;
        this.artifacts = artifacts;
    }

    /** How the run ended: the handler's result as JSON, its failure, or a stop from outside. Never fails. */
    Uni<RunningJob.Outcome> run(RunningJob running) {
        ClaimedJob job = running.job();
        return running.race(attempt(running)).invoke(outcome -> {
            if (outcome.stop() == null) {
                metrics.ran(job, outcome.nanos());
            }
        });
    }

    /** The handler's result as JSON, or the failure of the attempt. */
    private Uni<String> attempt(RunningJob running) {
        ClaimedJob job = running.job();
        JobHandler<?, ?> handler = handlers.find(job.type()).orElse(null);
        if (handler == null) {
            return Uni.createFrom().failure(new PermanentJobFailure("no handler for job type '" + job.type() + "'"));
        }
        Duration timeout = job.timeout() != null ? job.timeout() : config.defaultJobTimeout();
        return invoke(handler, running, Instant.now().plus(timeout))
                .ifNoItem().after(timeout).failWith(() -> new JobTimeoutException(timeout))
                .map(this::json);
    }

    /** The result as JSON, which must fit in {@code conveyor.worker.max-result-size}: retrying would not shrink it. */
    private String json(Object result) {
        String json;
        try {
            json = payloads.write(result);
        } catch (Exception e) {
            throw new PermanentJobFailure("result is not serializable as JSON: " + e.getMessage(), e);
        }
        long limit = config.maxResultSize().asLongValue();
        if (json.length() > limit / 3 && Utf8.length(json) > limit) {
            throw new PermanentJobFailure("result too large: " + Utf8.length(json) + " bytes of JSON; at most "
                    + limit + " are stored (conveyor.worker.max-result-size)");
        }
        return json;
    }

    private <P> Uni<Object> invoke(JobHandler<P, ?> handler, RunningJob running, Instant deadline) {
        ClaimedJob job = running.job();
        P payload;
        try {
            payload = payloads.read(handler, job.payload());
        } catch (Exception e) {
            return Uni.createFrom().failure(new PermanentJobFailure("payload unreadable: " + e.getMessage(), e));
        }
        JobContext context = new JobContext(job.id().toString(), job.id().queue(), job.attempt(), job.maxAttempts(),
                deadline, progress.reporterFor(running), artifacts);
        Uni<Object> call = Uni.createFrom().deferred(() -> handler.handle(payload, context)).map(r -> (Object) r);
        return handler.blocking() ? call.runSubscriptionOn(Infrastructure.getDefaultWorkerPool()) : call;
    }
}
