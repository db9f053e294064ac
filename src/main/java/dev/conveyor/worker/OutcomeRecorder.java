package dev.conveyor.worker;

import java.time.Duration;
import java.util.Optional;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.conveyor.handler.PermanentJobFailure;
import dev.conveyor.job.JobLogLine;
import dev.conveyor.job.JobStatus;
import dev.conveyor.job.RetryPolicy;
import dev.conveyor.queue.ClaimedJob;
import dev.conveyor.queue.JobStore;
import dev.conveyor.queue.RedisUnavailableException;
import dev.conveyor.role.WorkerRole;
import io.smallrye.mutiny.Uni;

/**
 * Records how an attempt ended, logs its job line and counts it. A failure, a cancellation or a hand-back is one
 * script call of its own; a success is recorded by the claim loop's next claim call of its queue and only logged here.
 */
@Singleton
@WorkerRole
class OutcomeRecorder {

    private static final Logger LOG = Logger.getLogger(OutcomeRecorder.class);
    private static final int MAX_ERROR_CHARS = 2000;

    private final JobStore store;
    private final WorkerConfig config;
    private final RetryConfig retry;
    private final WorkerMetrics metrics;
    private final ThroughputTally throughput;

    OutcomeRecorder(JobStore store, WorkerConfig config, RetryConfig retry, WorkerMetrics metrics,
            ThroughputTally throughput) {
        this.store = store;
        this.config = config;
        this.retry = retry;
        this.metrics = metrics;
        this.throughput = throughput;
    }

    /**
     * After the claim call that carried the success answered: the status it recorded (cancelled when a client asked
     * while the job ran), empty when the lease was lost meanwhile.
     */
    void succeeded(ClaimedJob job, Optional<JobStatus> recorded, long millis) {
        if (recorded.isEmpty()) {
            LOG.warn(JobLogLine.leaseLost(job.id(), "succeeded"));
            return;
        }
        boolean cancelled = recorded.get() == JobStatus.CANCELLED;
        if (!cancelled) {
            throughput.succeeded(job.id().queue());
        }
        metrics.finished(job.id().queue(), job.type(),
                cancelled ? WorkerMetrics.Outcome.CANCELLED : WorkerMetrics.Outcome.SUCCEEDED);
        LOG.info(JobLogLine.ended(job.id(), job.type(), job.attempt(), recorded.get().wireName(), millis));
    }

    /**
     * Records any outcome but a success. Completes once it is recorded (or given up on: the lease then expires and
     * the job runs again); never fails.
     */
    Uni<Void> record(ClaimedJob job, RunningJob.Outcome outcome) {
        if (outcome.stop() == null) {
            return recordPatiently(job, fail(job, outcome.failure(), outcome.millis()));
        }
        return switch (outcome.stop()) {
            case CANCELLED -> recordPatiently(job,
                    fail(job, new PermanentJobFailure("cancelled by request"), outcome.millis()));
            case SHUTDOWN -> recordPatiently(job, handBack(job));
            case LEASE_LOST -> {
                LOG.warnf("job %s: lease lost after %d ms (recovered elsewhere); stopped here", job.id(),
                        outcome.millis());
                yield Uni.createFrom().voidItem();
            }
        };
    }

    private Uni<Void> handBack(ClaimedJob job) {
        return store.release(job).invoke(status -> {
            if (status.isEmpty()) {
                LOG.info(JobLogLine.handedBack(job.id(), job.type(), job.attempt(), "lease_lost"));
            } else if (status.get() == JobStatus.CANCELLED) {
                metrics.finished(job.id().queue(), job.type(), WorkerMetrics.Outcome.CANCELLED);
                LOG.info(JobLogLine.handedBack(job.id(), job.type(), job.attempt(), "cancelled"));
            } else {
                LOG.info(JobLogLine.handedBack(job.id(), job.type(), job.attempt(), "handed_back"));
            }
        }).replaceWithVoid();
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

    private Uni<Void> fail(ClaimedJob job, Throwable failure, long millis) {
        boolean retryable = !(failure instanceof PermanentJobFailure);
        RetryPolicy policy = job.backoff() != null ? job.backoff().policy(retry.maxDelay()) : retry.policy();
        Duration retryDelay = retryable ? policy.delayAfter(job.attempt()) : null;
        String error = describe(failure);
        return store.fail(job, error, retryDelay).invoke(status -> {
            if (status.isEmpty()) {
                LOG.warn(JobLogLine.leaseLost(job.id(), "failed"));
            } else {
                if (status.get() == JobStatus.FAILED) {
                    throughput.failed(job.id().queue());
                }
                metrics.finished(job.id().queue(), job.type(), outcome(status.get(), failure));
                LOG.info(JobLogLine.failed(job.id(), job.type(), job.attempt(), status.get().wireName(), millis, error));
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
