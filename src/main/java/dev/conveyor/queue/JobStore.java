package dev.conveyor.queue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.conveyor.job.Job;
import dev.conveyor.job.JobId;
import dev.conveyor.job.JobStatus;
import dev.conveyor.job.NewJob;
import dev.conveyor.job.QueueName;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;

/**
 * State changes of the queues in Redis: enqueue, claim and complete, fail, leases, housekeeping, cancel and re-run,
 * pause. Every change of a job is one Lua script. Reads are {@link QueueInspector}'s. Lease deadlines and due times
 * are measured by the scripts with Redis' clock: callers pass lengths and delays, never instants of their own clock.
 */
@Singleton
public class JobStore {

    private static final long NO_DUE_TIME = -1;
    private static final Optional<JobStatus> SUCCEEDED = Optional.of(JobStatus.SUCCEEDED);
    private static final Optional<JobStatus> CANCELLED = Optional.of(JobStatus.CANCELLED);
    /** Most entries of a job's error history kept (the oldest are dropped). */
    static final int HISTORY_SIZE = 25;
    /** Most jobs one reap recovers, and most expired index entries it drops per set. */
    private static final int REAP_BATCH = 1000;

    private final RedisCalls redis;
    private final KeySpace keys;
    private final Scripts scripts;
    private final QueueInspector inspector;
    private final QueueConfig config;
    private final RetentionConfig retention;
    private final MemoryGuard memory;
    private final Clock clock;
    /** Queues this process has registered, to wake an idle worker only for a queue new to it. */
    private final Set<String> registeredQueues = ConcurrentHashMap.newKeySet();

    @Inject
    JobStore(RedisCalls redis, KeySpace keys, Scripts scripts, QueueInspector inspector, QueueConfig config,
            RetentionConfig retention, MemoryGuard memory) {
        this(redis, keys, scripts, inspector, config, retention, memory, Clock.systemUTC());
    }

    /** With the clock of this process; tests give one that runs ahead to show that leases do not depend on it. */
    JobStore(RedisCalls redis, KeySpace keys, Scripts scripts, QueueInspector inspector, QueueConfig config,
            RetentionConfig retention, MemoryGuard memory, Clock clock) {
        this.redis = redis;
        this.keys = keys;
        this.scripts = scripts;
        this.inspector = inspector;
        this.config = config;
        this.retention = retention;
        this.memory = memory;
        this.clock = clock;
    }

    /**
     * Enqueues a client's batch in one round trip: one script call per queue, pipelined, each all or nothing (one
     * idempotency conflict and none of that queue's jobs is enqueued). Jobs are answered in request order.
     */
    public Uni<List<Enqueued>> enqueue(List<NewJob> jobs) {
        return enqueue(jobs, true);
    }

    /**
     * Enqueues independent requests in one round trip, each on its own: the outcome of each is what it would be if
     * they had been sent one after the other, in this order.
     */
    public Uni<List<Enqueued>> enqueueEach(List<NewJob> jobs) {
        return enqueue(jobs, false);
    }

    /**
     * Jobs of queues new to this process are admitted first, by a script that registers their queues only while the
     * registry holds fewer than conveyor.queue.max-queues: refused jobs get {@code QUEUE_LIMIT} (a client's batch then
     * enqueues nothing), the others go on.
     */
    private Uni<List<Enqueued>> enqueue(List<NewJob> jobs, boolean allOrNothing) {
        try {
            memory.admitNewJobs();
        } catch (RedisFullException e) {
            return Uni.createFrom().failure(e);
        }
        Set<String> unknown = new LinkedHashSet<>();
        jobs.forEach(job -> {
            if (!registeredQueues.contains(job.queue())) {
                unknown.add(job.queue());
            }
        });
        if (unknown.isEmpty()) {
            return enqueueAdmitted(jobs, allOrNothing);
        }
        List<String> args = new ArrayList<>(List.of(Integer.toString(config.maxQueues()), allOrNothing ? "1" : "0"));
        args.addAll(unknown);
        return redis.script(scripts.registerQueues, List.of(keys.registry()), args).chain(answer -> {
            Set<String> refused = new HashSet<>();
            answer.forEach(name -> refused.add(name.toString()));
            if (refused.isEmpty()) {
                return enqueueAdmitted(jobs, allOrNothing);
            }
            List<NewJob> admitted = jobs.stream().filter(job -> !refused.contains(job.queue())).toList();
            Uni<List<Enqueued>> done = allOrNothing || admitted.isEmpty() ? Uni.createFrom().item(List.of())
                    : enqueueAdmitted(admitted, false);
            return done.map(results -> {
                List<Enqueued> all = new ArrayList<>();
                var admittedResults = results.iterator();
                for (NewJob job : jobs) {
                    all.add(refused.contains(job.queue()) ? new Enqueued(null, Enqueued.Outcome.QUEUE_LIMIT)
                            : admittedResults.hasNext() ? admittedResults.next()
                                    : new Enqueued(null, Enqueued.Outcome.NOT_ENQUEUED));
                }
                return all;
            });
        });
    }

    private Uni<List<Enqueued>> enqueueAdmitted(List<NewJob> jobs, boolean allOrNothing) {
        long now = clock.millis();
        Map<String, List<Integer>> byQueue = new LinkedHashMap<>();
        for (int i = 0; i < jobs.size(); i++) {
            byQueue.computeIfAbsent(jobs.get(i).queue(), q -> new ArrayList<>()).add(i);
        }
        List<JobId> ids = new ArrayList<>();
        for (NewJob job : jobs) {
            ids.add(JobId.newId(job.queue(), now));
        }
        List<List<String>> callKeys = new ArrayList<>();
        List<List<String>> args = new ArrayList<>();
        for (var entry : byQueue.entrySet()) {
            QueueKeys k = keys.queue(entry.getKey());
            List<String> perCallKeys = new ArrayList<>(List.of(k.jobPrefix(), k.ready(), k.scheduled(), k.all(),
                    k.sequence(), k.marker(), k.stats(), k.idempotencyKeys(), k.events(), k.eventsListening()));
            List<String> callArgs = new ArrayList<>(List.of(Long.toString(now),
                    Long.toString(retention.idempotency().toMillis()), allOrNothing ? "1" : "0"));
            for (int index : entry.getValue()) {
                NewJob job = jobs.get(index);
                String ulid = ids.get(index).ulid();
                perCallKeys.add(k.job(ulid));
                perCallKeys.add(job.idempotencyKey() == null ? k.job(ulid) : k.idempotency(job.idempotencyKey()));
                callArgs.addAll(List.of(ulid, job.type(), Integer.toString(job.priority()), job.payload(),
                        Integer.toString(job.maxAttempts()),
                        due(job),
                        Long.toString(job.timeout() == null ? 0 : job.timeout().toMillis()),
                        Long.toString(job.backoff() == null ? 0 : job.backoff().initialDelay().toMillis()),
                        Long.toString(job.backoff() == null || job.backoff().maxDelay() == null ? 0
                                : job.backoff().maxDelay().toMillis()),
                        job.idempotencyKey() == null ? "" : job.requestHash(),
                        job.idempotencyKey() == null ? "" : job.idempotencyKey(),
                        job.callback() == null ? "" : job.callback(),
                        job.unique() == null ? "" : job.unique().key(),
                        job.unique() == null ? "" : job.unique().scope().wireName(),
                        job.unique() == null ? "" : Long.toString(job.unique().ttl().toMillis()),
                        job.tick() == null ? "" : job.tick().schedule(),
                        job.tick() == null ? "" : Long.toString(job.tick().scheduledFor().toEpochMilli())));
            }
            callKeys.add(perCallKeys);
            args.add(callArgs);
        }
        List<JobId> sentIds = List.copyOf(ids);
        List<Request> after = registerQueues(byQueue.keySet());
        // with replica-acks, jobs the replicas did not confirm are not acknowledged: 503 outcome-unknown below
        Uni<List<Response>> sent = config.replicaAcks() > 0
                ? redis.replicatedScriptBatch(scripts.enqueue, callKeys, args, after, config.replicaAcks(),
                        config.replicaAckTimeout())
                : redis.scriptBatch(scripts.enqueue, callKeys, args, after);
        return sent
                .onFailure(RedisNoAnswerException.class)
                .transform(failure -> OutcomeUnknownException.of(jobs, sentIds, failure))
                .invoke(() -> registeredQueues.addAll(byQueue.keySet()))
                .chain(responses -> {
                    Enqueued[] results = new Enqueued[jobs.size()];
                    List<Integer> existing = new ArrayList<>();
                    int call = 0;
                    for (var entry : byQueue.entrySet()) {
                        Response perJob = responses.get(call++);
                        for (int j = 0; j < entry.getValue().size(); j++) {
                            int index = entry.getValue().get(j);
                            Response answer = perJob.get(j);
                            if (answer.type() == ResponseType.NUMBER) {
                                results[index] = new Enqueued(created(ids.get(index), jobs.get(index), now,
                                        answer.toLong()),
                                        Enqueued.Outcome.CREATED);
                                continue;
                            }
                            String ulid = answer.get(0).toString();
                            int outcome = answer.get(1).toInteger();
                            if (outcome == 3 || ulid.isEmpty()) {
                                results[index] = new Enqueued(null, outcome == 3 ? Enqueued.Outcome.NOT_ENQUEUED
                                        : Enqueued.Outcome.CONFLICT);
                            } else {
                                ids.set(index, new JobId(entry.getKey(), ulid));
                                results[index] = new Enqueued(null, switch (outcome) {
                                    case 1 -> Enqueued.Outcome.EXISTING;
                                    case 4 -> Enqueued.Outcome.UNIQUE_HELD;
                                    default -> Enqueued.Outcome.CONFLICT;
                                });
                                existing.add(index);
                            }
                        }
                    }
                    if (existing.isEmpty()) {
                        return Uni.createFrom().item(List.of(results));
                    }
                    List<JobId> toRead = existing.stream().map(ids::get).toList();
                    return inspector.findAll(toRead).map(found -> {
                        for (int i = 0; i < existing.size(); i++) {
                            int index = existing.get(i);
                            results[index] = new Enqueued(found.get(i), results[index].outcome());
                        }
                        return List.of(results);
                    });
                });
    }

    /** The enqueue script's due field: empty for now, {@code +ms} for a delay on Redis' clock, else the instant in ms. */
    private static String due(NewJob job) {
        return job.delay() != null ? "+" + job.delay().toMillis()
                : job.runAt() != null ? Long.toString(job.runAt().toEpochMilli()) : "";
    }

    /** A job the script created: {@code scheduledFor} is its due time when it waits for it, else 0. */
    private static Job created(JobId id, NewJob job, long now, long scheduledFor) {
        Instant created = Instant.ofEpochMilli(now);
        boolean scheduled = scheduledFor > 0;
        Instant runAt = scheduled ? Instant.ofEpochMilli(scheduledFor) : job.runAt() != null ? job.runAt() : created;
        return new Job(id, job.type(), scheduled ? JobStatus.SCHEDULED : JobStatus.QUEUED, job.priority(),
                job.payload(), 0, job.maxAttempts(), created, runAt, null, null,
                job.timeout(), job.backoff(), null, null, null, false, null, job.callback(), null, job.unique(),
                job.tick() == null ? null : job.tick().schedule(),
                job.tick() == null ? null : job.tick().scheduledFor());
    }

    /**
     * Commands that add the queue names to the registry that lists and workers read. They go with every enqueue, in
     * the same round trip, so that a registry lost with Redis' data is rebuilt by the next jobs; after the jobs, so
     * that a queue deleted meanwhile (see {@link #deleteQueue}) is registered again once it holds them.
     */
    private List<Request> registerQueues(Set<String> queues) {
        Request add = Request.cmd(Command.SADD).arg(keys.registry());
        queues.forEach(add::arg);
        if (registeredQueues.containsAll(queues)) {
            return List.of(add);
        }
        // workers serving every queue always watch the default queue: wake one so that it looks for new queues
        return List.of(add, Request.cmd(Command.ZADD).arg(keys.queue(QueueName.DEFAULT).marker()).arg(0).arg("0"));
    }

    /**
     * Records the given successes of one queue, then leases up to {@code max} more of its jobs, in one script call:
     * a busy worker completes a batch and claims the next in a single round trip.
     */
    public Uni<Claim> completeAndClaim(String queue, int max, Duration lease, String token,
            List<Completion> succeeded) {
        QueueKeys k = keys.queue(queue);
        Retention limits = Retention.of(retention, queue);
        List<String> callKeys = List.of(k.jobPrefix(), k.ready(), k.scheduled(), k.retry(), k.active(),
                k.sequence(), k.marker(), k.paused(), k.succeeded(), k.stats(), k.cancelled(), k.all(),
                k.idempotencyPrefix(), k.trimMark(), k.idempotencyKeys(), k.events(), k.eventsListening(),
                k.limits(), k.limiter());
        List<String> args = new ArrayList<>(8 + 3 * succeeded.size());
        Collections.addAll(args, Long.toString(lease.toMillis()), token, Integer.toString(max),
                Integer.toString(config.promoteBatch()), Long.toString(limits.failed().toMillis()),
                Integer.toString(limits.succeededCount()), Integer.toString(limits.failedCount()),
                Integer.toString(succeeded.size()));
        for (Completion done : succeeded) {
            Collections.addAll(args, done.job().id().ulid(), done.job().token(), done.result());
        }
        return redis.script(scripts.completeAndClaim, callKeys, args).map(answer -> {
            Response rows = answer.get(0);
            List<ClaimedJob> jobs = new ArrayList<>(rows.size());
            for (Response row : rows) {
                jobs.add(new ClaimedJob(new JobId(queue, row.get(0).toString()), row.get(1).toString(),
                        row.get(2).toString(), row.get(3).toInteger(), row.get(4).toInteger(),
                        JobCodec.duration(row, 5),
                        JobCodec.backoff(JobCodec.duration(row, 9), JobCodec.duration(row, 10)),
                        Instant.ofEpochMilli(row.get(6).toLong()), Instant.ofEpochMilli(row.get(7).toLong()),
                        row.get(8).toInteger(), token));
            }
            long dueIn = answer.get(1).toLong();
            Response flags = answer.get(2);
            List<Optional<JobStatus>> recorded = new ArrayList<>(flags.size());
            for (Response flag : flags) {
                recorded.add(switch (flag.toInteger()) {
                    case 1 -> SUCCEEDED;
                    case 2 -> CANCELLED;
                    default -> Optional.empty();
                });
            }
            long rateWait = answer.get(3).toLong();
            boolean slotsFull = answer.get(4).toInteger() == 1;
            LimitHold held = rateWait < 0 && !slotsFull ? LimitHold.NONE
                    : new LimitHold(rateWait < 0 ? null : Duration.ofMillis(rateWait), slotsFull);
            // measured by Redis' clock, turned into an instant of this process' clock, which its sleep uses
            return new Claim(jobs, dueIn == NO_DUE_TIME ? null : clock.instant().plusMillis(dueIn), recorded, held);
        });
    }

    /**
     * Records a failed attempt: the job retries after {@code retryDelay} if it has attempts left and
     * {@code retryDelay} is not null, else it fails for good. Empty when the lease was lost.
     */
    public Uni<Optional<JobStatus>> fail(ClaimedJob job, String error, Duration retryDelay) {
        QueueKeys k = keys.queue(job.id().queue());
        String ulid = job.id().ulid();
        Retention limits = Retention.of(retention, job.id().queue());
        List<String> callKeys = withTrimKeys(k, k.job(ulid), k.active(), k.retry(), k.failed(), k.marker(),
                k.cancelled(), k.stats());
        Collections.addAll(callKeys, k.limits(), k.ready());
        List<String> args = List.of(ulid, job.token(), error,
                Long.toString(retryDelay == null ? NO_DUE_TIME : retryDelay.toMillis()),
                Long.toString(limits.failed().toMillis()), Integer.toString(HISTORY_SIZE),
                Integer.toString(limits.failedCount()));
        return redis.script(scripts.fail, callKeys, args).map(JobStore::statusOrLeaseLost);
    }

    /**
     * Extends the leases of a worker's running jobs of one queue in one call, and reports which of them the worker
     * must stop: those whose lease is lost and those a client asked to cancel.
     */
    public Uni<LeaseReport> extend(String queue, List<ClaimedJob> running, Duration lease) {
        QueueKeys k = keys.queue(queue);
        List<String> args = new ArrayList<>(List.of(Long.toString(lease.toMillis())));
        for (ClaimedJob job : running) {
            args.add(job.id().ulid());
            args.add(job.token());
        }
        return redis.script(scripts.extend, List.of(k.active(), k.jobPrefix()), args)
                .map(answer -> new LeaseReport(JobCodec.ids(queue, answer.get(0)),
                        JobCodec.ids(queue, answer.get(1))));
    }

    /**
     * Housekeeping of one queue: re-queues jobs whose lease expired (or fails them when out of attempts), and drops
     * index entries of finished jobs past their retention.
     */
    public Uni<Recovered> reap(String queue) {
        QueueKeys k = keys.queue(queue);
        Retention limits = Retention.of(retention, queue);
        List<String> callKeys = List.of(k.jobPrefix(), k.active(), k.ready(), k.sequence(), k.failed(),
                k.cancelled(), k.all(), k.marker(), k.succeeded(), k.stats(), k.idempotencyPrefix(), k.trimMark(),
                k.idempotencyKeys(), k.events(), k.eventsListening(), k.limits());
        List<String> args = List.of(Integer.toString(REAP_BATCH), Long.toString(limits.failed().toMillis()),
                Integer.toString(HISTORY_SIZE), Long.toString(limits.succeeded().toMillis()),
                Integer.toString(limits.succeededCount()), Integer.toString(limits.failedCount()));
        return redis.script(scripts.reap, callKeys, args).map(answer -> new Recovered(refs(queue, answer.get(0)),
                refs(queue, answer.get(1)), refs(queue, answer.get(2)), answer.get(3).toInteger() == 1));
    }

    /** Cancels a job: a waiting job at once; a running one is flagged and its worker told. */
    public Uni<CancelOutcome> cancel(JobId id) {
        QueueKeys k = keys.queue(id.queue());
        Retention limits = Retention.of(retention, id.queue());
        List<String> callKeys = withTrimKeys(k, k.job(id.ulid()), k.ready(), k.scheduled(), k.retry(), k.cancelled(),
                k.stats());
        List<String> args = List.of(id.ulid(), Long.toString(limits.failed().toMillis()), keys.cancelChannel(),
                id.toString(), Integer.toString(limits.failedCount()));
        return redis.script(scripts.cancel, callKeys, args).map(answer -> CancelOutcome.decode(answer.toString()));
    }

    /** Re-runs a failed or cancelled job by hand, with fresh attempts (automatic retries are {@link #fail}'s). */
    public Uni<RerunOutcome> rerun(JobId id) {
        QueueKeys k = keys.queue(id.queue());
        List<String> callKeys = List.of(k.job(id.ulid()), k.failed(), k.cancelled(), k.ready(), k.sequence(),
                k.marker(), k.events(), k.eventsListening(), k.jobPrefix());
        List<String> args = List.of(id.ulid());
        return redis.script(scripts.rerun, callKeys, args).map(answer -> RerunOutcome.decode(answer.toString()));
    }

    /**
     * Hands a running job back to its queue at once (shutdown): {@code queued}, or {@code cancelled} when a client
     * asked to cancel it while it ran. Empty when the lease was already lost.
     */
    public Uni<Optional<JobStatus>> release(ClaimedJob job) {
        QueueKeys k = keys.queue(job.id().queue());
        Retention limits = Retention.of(retention, job.id().queue());
        List<String> callKeys = withTrimKeys(k, k.job(job.id().ulid()), k.active(), k.ready(), k.sequence(),
                k.marker(), k.cancelled(), k.stats());
        callKeys.add(k.limits());
        List<String> args = List.of(job.id().ulid(), job.token(), Long.toString(limits.failed().toMillis()),
                Integer.toString(limits.failedCount()));
        return redis.script(scripts.release, callKeys, args).map(JobStore::statusOrLeaseLost);
    }

    /**
     * A script's keys followed by those that trimming a finished-status index needs (includes/trim.lua): the job key
     * prefix, the id index, the idempotency key prefix, the trim mark and the jobs' idempotency keys; then the events
     * stream and its listening key (includes/emit.lua).
     */
    private static List<String> withTrimKeys(QueueKeys k, String... keys) {
        List<String> all = new ArrayList<>(List.of(keys));
        Collections.addAll(all, k.jobPrefix(), k.all(), k.idempotencyPrefix(), k.trimMark(), k.idempotencyKeys(),
                k.events(), k.eventsListening());
        return all;
    }

    /** A script's answer: the status it left the job in, or the number 0 when the caller's lease was lost. */
    private static Optional<JobStatus> statusOrLeaseLost(Response answer) {
        return answer.type() == ResponseType.NUMBER ? Optional.empty()
                : Optional.of(JobStatus.fromWireName(answer.toString()));
    }

    private static List<Recovered.Ref> refs(String queue, Response pairs) {
        List<Recovered.Ref> refs = new ArrayList<>();
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            refs.add(new Recovered.Ref(new JobId(queue, pairs.get(i).toString()), pairs.get(i + 1).toString()));
        }
        return refs;
    }

    /** Workers stop claiming from a paused queue; enqueueing still works. */
    public Uni<Void> pause(String queue) {
        return redis.send(Request.cmd(Command.SET).arg(keys.queue(queue).paused()).arg("1")).replaceWithVoid();
    }

    /**
     * Deletes a queue that has no scheduled, queued, running or retrying job, with its finished jobs; false (and
     * nothing deleted) otherwise. The queue leaves the registry first, so an enqueue racing with the deletion
     * registers it again (every enqueue adds its queue after its jobs); it comes back when the queue is not empty.
     */
    public Uni<Boolean> deleteQueue(String queue) {
        registeredQueues.remove(queue);
        return redis.send(Request.cmd(Command.SREM).arg(keys.registry()).arg(queue))
                .chain(() -> deleteInChunks(queue))
                .call(deleted -> deleted ? Uni.createFrom().voidItem()
                        : redis.send(Request.cmd(Command.SADD).arg(keys.registry()).arg(queue)));
    }

    private Uni<Boolean> deleteInChunks(String queue) {
        QueueKeys k = keys.queue(queue);
        List<String> callKeys = List.of(k.jobPrefix(), k.ready(), k.scheduled(), k.retry(), k.active(), k.all(),
                k.succeeded(), k.failed(), k.cancelled(), k.sequence(), k.marker(), k.paused(), k.stats(),
                k.legacyRecentFailures(), k.trimMark(), k.idempotencyKeys(), k.events(), k.throughput(), k.uniqueKeys(),
                k.uniquePrefix(), k.limits(), k.limiter());
        return redis.script(scripts.deleteQueue, callKeys, List.of(Integer.toString(REAP_BATCH)))
                .chain(answer -> answer.toInteger() == 2 ? deleteInChunks(queue)
                        : Uni.createFrom().item(answer.toInteger() == 1));
    }

    /** Resumes a paused queue and wakes an idle worker for it. */
    public Uni<Void> resume(String queue) {
        QueueKeys k = keys.queue(queue);
        return redis.batch(List.of(Request.cmd(Command.DEL).arg(k.paused()),
                Request.cmd(Command.ZADD).arg(k.marker()).arg(0).arg("0"))).replaceWithVoid();
    }

    /**
     * Sets a queue's rate and concurrency limits, replacing any it had (a queue setting, like pause; deleting the
     * queue removes them). Workers enforce them from their next claim on.
     */
    public Uni<Void> setLimits(String queue, QueueLimits limits) {
        List<String> fields = new ArrayList<>();
        if (limits.rate() != null) {
            QueueLimits.Rate rate = limits.rate();
            Collections.addAll(fields, "rate", rate.text(), "count", Integer.toString(rate.count()), "period",
                    Long.toString(rate.period().toMillis()), "burst", Integer.toString(rate.burst()));
        }
        if (limits.concurrency() != null) {
            Collections.addAll(fields, "concurrency", Integer.toString(limits.concurrency()));
        }
        return writeLimits(queue, fields);
    }

    /** Removes a queue's limits (nothing when it has none). */
    public Uni<Void> removeLimits(String queue) {
        return writeLimits(queue, List.of());
    }

    private Uni<Void> writeLimits(String queue, List<String> fields) {
        QueueKeys k = keys.queue(queue);
        return redis.script(scripts.setLimits, List.of(k.limits(), k.limiter(), k.marker()), fields)
                .replaceWithVoid();
    }

    /** The keys an idle worker blocks on to be woken by new work in these queues. */
    public List<String> wakeUpKeys(List<String> queues) {
        return queues.stream().map(queue -> keys.queue(queue).marker()).toList();
    }
}
