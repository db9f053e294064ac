package dev.conveyor.worker;

import java.time.Duration;
import java.time.Instant;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.conveyor.handler.HandlerRegistry;
import dev.conveyor.handler.JobContext;
import dev.conveyor.handler.JobHandler;
import dev.conveyor.handler.PayloadReader;
import dev.conveyor.handler.PermanentJobFailure;
import dev.conveyor.job.JobStatus;
import dev.conveyor.job.RetryPolicy;
import dev.conveyor.queue.ClaimedJob;
import dev.conveyor.queue.JobStore;
import dev.conveyor.queue.RedisUnavailableException;
import dev.conveyor.role.WorkerRole;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/** Runs one claimed job through its handler and records the outcome: success, retry with backoff, or failure. */
@Singleton
@WorkerRole
class JobRunner {

    private static final Logger LOG = Logger.getLogger(JobRunner.class);
    private static final int MAX_ERROR_CHARS = 2000;

    private final HandlerRegistry handlers;
    private final PayloadReader payloads;
    private final JobStore store;
    private final WorkerConfig config;
    private final RetryConfig retry;
    private final WorkerMetrics metrics;
    private final Completions completions;

    JobRunner(HandlerRegistry handlers, PayloadReader payloads, JobStore store, WorkerConfig config,
            RetryConfig retry, WorkerMetrics metrics, Completions completions) {
        this.metrics = metrics;
        this.completions = completions;
        this.handlers = handlers;
        this.payloads = payloads;
        this.store = store;
        this.config = config;
        this.retry = retry;
    }

    /**
     * Runs the job until it ends or is stopped, then records the outcome. Completes once the outcome is recorded (or
     * given up on: the lease then expires and the job runs again); never fails.
     */
    Uni<Void> run(RunningJob running) {
        ClaimedJob job = running.job();
        long started = System.nanoTime();
        return running.race(attempt(job)).chain(outcome -> {
            long nanos = System.nanoTime() - started;
            long millis = nanos / 1_000_000;
            if (outcome.stop() == null) {
                metrics.ran(job, nanos);
                // a success waits in Completions until a call records it, across Redis outages too
                return outcome.failure() == null ? succeed(job, outcome.result(), millis)
                        : recordPatiently(job, fail(job, outcome.failure(), millis));
            }
            return switch (outcome.stop()) {
                case CANCELLED -> recordPatiently(job, fail(job, new PermanentJobFailure("cancelled by request"), millis));
                case SHUTDOWN -> recordPatiently(job, release(job));
                case LEASE_LOST -> {
                    LOG.warnf("job %s: lease lost after %d ms (recovered elsewhere); stopped here", job.id(), millis);
                    yield Uni.createFrom().voidItem();
                }
            };
        });
    }

    private Uni<Void> release(ClaimedJob job) {
        return store.release(job).invoke(released -> LOG.infof("job %s type=%s queue=%s attempt=%d outcome=%s",
                job.id(), job.type(), job.id().queue(), job.attempt(), released ? "handed_back" : "lease_lost"))
                .replaceWithVoid();
    }

    /** Rides out a Redis outage for as long as the lease lasts; after that the job runs again anyway. */
    private Uni<Void> recordPatiently(ClaimedJob job, Uni<Void> record) {
        return record
                .onFailure(RedisUnavailableException.class).retry()
                .withBackOff(Duration.ofMillis(100), Duration.ofSeconds(2)).expireIn(config.lease().toMillis())
                .onFailure().invoke(failure -> LOG.errorf("job %s: could not record its outcome (%s); its lease will"
                        + " expire and it will run again", job.id(), failure.getMessage()))
                .onFailure().recoverWithNull();
    }

    /** The handler's result as JSON, or the failure of the attempt. */
    private Uni<String> attempt(ClaimedJob job) {
        JobHandler<?, ?> handler = handlers.find(job.type()).orElse(null);
        if (handler == null) {
            return Uni.createFrom().failure(new PermanentJobFailure("no handler for job type '" + job.type() + "'"));
        }
        Duration timeout = job.timeout() != null ? job.timeout() : config.defaultJobTimeout();
        return invoke(handler, job, Instant.now().plus(timeout))
                .ifNoItem().after(timeout).failWith(() -> new JobTimeoutException(timeout))
                .map(result -> {
                    try {
                        return payloads.write(result);
                    } catch (Exception e) {
                        throw new PermanentJobFailure("result is not serializable as JSON: " + e.getMessage(), e);
                    }
                });
    }

    private <P> Uni<Object> invoke(JobHandler<P, ?> handler, ClaimedJob job, Instant deadline) {
        P payload;
        try {
            payload = payloads.read(handler, job.payload());
        } catch (Exception e) {
            return Uni.createFrom().failure(new PermanentJobFailure("payload unreadable: " + e.getMessage(), e));
        }
        JobContext context = new JobContext(job.id().toString(), job.id().queue(), job.attempt(), job.maxAttempts(),
                deadline);
        Uni<Object> call = Uni.createFrom().deferred(() -> handler.handle(payload, context)).map(r -> (Object) r);
        return handler.blocking() ? call.runSubscriptionOn(Infrastructure.getDefaultWorkerPool()) : call;
    }

    private Uni<Void> succeed(ClaimedJob job, String result, long millis) {
        return completions.record(job, result).invoke(recorded -> {
            if (recorded) {
                metrics.finished(job.id().queue(), job.type(), WorkerMetrics.Outcome.SUCCEEDED);
                // concatenated, not printf-formatted: this line is written for every job (profiled)
                LOG.info("job " + job.id() + " type=" + job.type() + " queue=" + job.id().queue() + " attempt="
                        + job.attempt() + " outcome=succeeded duration_ms=" + millis);
            } else {
                LOG.warnf("job %s: succeeded but its lease was lost; outcome not recorded", job.id());
            }
        }).replaceWithVoid();
    }

    private Uni<Void> fail(ClaimedJob job, Throwable failure, long millis) {
        boolean retryable = !(failure instanceof PermanentJobFailure);
        RetryPolicy policy = job.backoff() != null ? job.backoff().policy(retry.maxDelay()) : retry.policy();
        Instant retryAt = retryable ? Instant.now().plus(policy.delayAfter(job.attempt())) : null;
        String error = describe(failure);
        return store.fail(job, error, retryAt).invoke(status -> {
            if (status.isEmpty()) {
                LOG.warnf("job %s: failed but its lease was lost; outcome not recorded", job.id());
            } else {
                metrics.finished(job.id().queue(), job.type(), outcome(status.get(), failure));
                LOG.infof("job %s type=%s queue=%s attempt=%d outcome=%s duration_ms=%d error=\"%s\"", job.id(),
                        job.type(), job.id().queue(), job.attempt(), status.get().wireName(), millis, error);
            }
        }).replaceWithVoid();
    }

    private static WorkerMetrics.Outcome outcome(JobStatus status, Throwable failure) {
        if (status == JobStatus.CANCELLED) {
            return WorkerMetrics.Outcome.CANCELLED;
        }
        if (failure instanceof JobTimeoutException) {
            return WorkerMetrics.Outcome.TIMED_OUT;
        }
        return status == JobStatus.RETRYING ? WorkerMetrics.Outcome.RETRIED : WorkerMetrics.Outcome.FAILED;
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return message.length() <= MAX_ERROR_CHARS ? message : message.substring(0, MAX_ERROR_CHARS);
    }
}
