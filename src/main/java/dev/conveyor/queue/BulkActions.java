package dev.conveyor.queue;

import java.util.List;
import java.util.function.Function;

import jakarta.inject.Singleton;

import dev.conveyor.job.JobStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * Actions on many jobs of one queue: re-run the failed ones, delete the finished ones of a status, cancel the waiting
 * ones. Each goes in script calls of at most {@code chunk} jobs, one after the other, so that Redis is never blocked
 * for long whatever the queue's size; each call is atomic. Each is bounded to the jobs there when it started, so it
 * ends however fast jobs arrive meanwhile. When Redis fails midway, the failure says how many jobs were done
 * ({@link BulkInterruptedException}).
 */
@Singleton
public class BulkActions {

    private final RedisCalls redis;
    private final KeySpace keys;
    private final Scripts scripts;
    private final RetentionConfig retention;

    BulkActions(RedisCalls redis, KeySpace keys, Scripts scripts, RetentionConfig retention) {
        this.redis = redis;
        this.keys = keys;
        this.scripts = scripts;
        this.retention = retention;
    }

    /** Re-runs by hand every job of the queue that failed before the call; answers how many. */
    public Uni<Long> retryFailed(String queue, int chunk) {
        QueueKeys k = keys.queue(queue);
        List<String> callKeys = List.of(k.jobPrefix(), k.failed(), k.cancelled(), k.ready(), k.sequence(), k.marker(),
                k.events(), k.eventsListening());
        // answer: {re-run, examined, cutoff}; the next call goes on from the first call's cutoff
        return inChunks(0, "", cutoff -> redis.script(scripts.retryFailed, callKeys,
                List.of(Integer.toString(chunk), cutoff)), answer -> answer.get(1).toInteger() < chunk ? null
                        : answer.get(2).toString());
    }

    /** Deletes every job of the queue that finished in {@code status} before the call; answers how many. */
    public Uni<Long> deleteFinished(String queue, JobStatus status, int chunk) {
        QueueKeys k = keys.queue(queue);
        String index = switch (status) {
            case SUCCEEDED -> k.succeeded();
            case FAILED -> k.failed();
            case CANCELLED -> k.cancelled();
            default -> throw new IllegalArgumentException("only finished jobs are deleted, not " + status);
        };
        List<String> callKeys = List.of(k.jobPrefix(), index, k.all(), k.idempotencyPrefix(), k.trimMark(),
                k.idempotencyKeys());
        // answer: {deleted, cutoff}
        return inChunks(0, "", cutoff -> redis.script(scripts.deleteJobs, callKeys,
                List.of(Integer.toString(chunk), cutoff)), answer -> answer.get(0).toInteger() < chunk ? null
                        : answer.get(1).toString());
    }

    /** Cancels every waiting (scheduled, queued, retrying) job of the queue; running jobs go on. Answers how many. */
    public Uni<Long> drain(String queue, int chunk) {
        QueueKeys k = keys.queue(queue);
        Retention limits = Retention.of(retention, queue);
        List<String> callKeys = List.of(k.jobPrefix(), k.ready(), k.scheduled(), k.retry(), k.cancelled(), k.stats(),
                k.all(), k.idempotencyPrefix(), k.trimMark(), k.idempotencyKeys(), k.events(), k.eventsListening());
        // answer: {cancelled, budget left}; the first call sets the budget: the number of waiting jobs
        return inChunks(0, "", budget -> redis.script(scripts.drain, callKeys, List.of(Integer.toString(chunk),
                budget, Long.toString(limits.failed().toMillis()), Integer.toString(limits.failedCount()))),
                answer -> answer.get(1).toLong() <= 0 ? null : answer.get(1).toString());
    }

    /**
     * Calls {@code call} with {@code state} until {@code next} answers null for its answer, adding up the first
     * number of every answer.
     */
    private Uni<Long> inChunks(long done, String state, Function<String, Uni<Response>> call,
            Function<Response, String> next) {
        return call.apply(state)
                .onFailure(RedisUnavailableException.class)
                .transform(failure -> done == 0 ? failure : new BulkInterruptedException(done, failure))
                .chain(answer -> {
                    long total = done + answer.get(0).toLong();
                    String following = next.apply(answer);
                    return following == null ? Uni.createFrom().item(total)
                            : inChunks(total, following, call, next);
                });
    }
}
