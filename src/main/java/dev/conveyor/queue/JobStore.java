package dev.conveyor.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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

/** The job queue in Redis: the only class that knows the key layout. Every state change is one Lua script. */
@Singleton
public class JobStore {

    private static final long NO_DUE_TIME = -1;
    /** Most entries of a job's error history kept (the oldest are dropped). */
    static final int HISTORY_SIZE = 25;
    /** Most jobs one reap recovers, and most expired index entries it drops per set. */
    private static final int REAP_BATCH = 1000;
    /** How many of the latest failures per queue the stats show. */
    private static final int RECENT_FAILURES = 20;

    private final RedisCalls redis;
    private final QueueConfig config;
    private final RetentionConfig retention;
    private final LuaScript enqueueScript = LuaScript.load("enqueue");
    private final LuaScript claimScript = LuaScript.load("complete-and-claim");
    private final LuaScript failScript = LuaScript.load("fail");
    private final LuaScript listScript = LuaScript.load("list");
    private final LuaScript extendScript = LuaScript.load("extend");
    private final LuaScript reapScript = LuaScript.load("reap");
    private final LuaScript cancelScript = LuaScript.load("cancel");
    private final LuaScript requeueScript = LuaScript.load("rerun");
    private final LuaScript releaseScript = LuaScript.load("release");
    /** Queues this process has registered, to wake an idle worker only for a queue new to it. */
    private final Set<String> registeredQueues = ConcurrentHashMap.newKeySet();

    JobStore(RedisCalls redis, QueueConfig config, RetentionConfig retention) {
        this.redis = redis;
        this.config = config;
        this.retention = retention;
    }

    /** Round trip time of a PING; fails like any call when Redis does not answer within the Redis timeout. */
    public Uni<Duration> ping() {
        return Uni.createFrom().deferred(() -> {
            long start = System.nanoTime();
            return redis.send(Request.cmd(Command.PING)).map(pong -> Duration.ofNanos(System.nanoTime() - start));
        });
    }

    /** Loads every script into Redis' cache, so that the first calls go by SHA. */
    public Uni<Void> loadScripts() {
        List<Request> loads = List.of(enqueueScript, claimScript, failScript, listScript, extendScript,
                reapScript, cancelScript, requeueScript, releaseScript).stream().map(LuaScript::load).toList();
        return redis.batch(loads).replaceWithVoid();
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

    private Uni<List<Enqueued>> enqueue(List<NewJob> jobs, boolean allOrNothing) {
        long now = System.currentTimeMillis();
        Map<String, List<Integer>> byQueue = new LinkedHashMap<>();
        for (int i = 0; i < jobs.size(); i++) {
            byQueue.computeIfAbsent(jobs.get(i).queue(), q -> new ArrayList<>()).add(i);
        }
        List<JobId> ids = new ArrayList<>();
        for (NewJob job : jobs) {
            ids.add(JobId.newId(job.queue(), now));
        }
        List<List<String>> keys = new ArrayList<>();
        List<List<String>> args = new ArrayList<>();
        for (var entry : byQueue.entrySet()) {
            QueueKeys k = keys(entry.getKey());
            List<String> callKeys = new ArrayList<>(List.of(k.jobPrefix(), k.ready(), k.scheduled(), k.all(),
                    k.sequence(), k.marker(), k.stats()));
            List<String> callArgs = new ArrayList<>(List.of(Long.toString(now),
                    Long.toString(retention.idempotency().toMillis()), allOrNothing ? "1" : "0"));
            for (int index : entry.getValue()) {
                NewJob job = jobs.get(index);
                String ulid = ids.get(index).ulid();
                callKeys.add(k.job(ulid));
                callKeys.add(job.idempotencyKey() == null ? k.job(ulid) : k.idempotency(job.idempotencyKey()));
                callArgs.addAll(List.of(ulid, job.type(), Integer.toString(job.priority()), job.payload(),
                        Integer.toString(job.maxAttempts()),
                        Long.toString(job.runAt() == null ? now : job.runAt().toEpochMilli()),
                        Long.toString(job.timeout() == null ? 0 : job.timeout().toMillis()),
                        Long.toString(job.backoff() == null ? 0 : job.backoff().initialDelay().toMillis()),
                        Long.toString(job.backoff() == null || job.backoff().maxDelay() == null ? 0
                                : job.backoff().maxDelay().toMillis()),
                        job.idempotencyKey() == null ? "" : job.requestHash()));
            }
            keys.add(callKeys);
            args.add(callArgs);
        }
        return redis.scriptBatch(enqueueScript, keys, args, registerQueues(byQueue.keySet()))
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
                                results[index] = new Enqueued(created(ids.get(index), jobs.get(index), now),
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
                                results[index] = new Enqueued(null, outcome == 1 ? Enqueued.Outcome.EXISTING
                                        : Enqueued.Outcome.CONFLICT);
                                existing.add(index);
                            }
                        }
                    }
                    if (existing.isEmpty()) {
                        return Uni.createFrom().item(List.of(results));
                    }
                    List<JobId> toRead = existing.stream().map(ids::get).toList();
                    return findAll(toRead).map(found -> {
                        for (int i = 0; i < existing.size(); i++) {
                            int index = existing.get(i);
                            results[index] = new Enqueued(found.get(i), results[index].outcome());
                        }
                        return List.of(results);
                    });
                });
    }

    private static Job created(JobId id, NewJob job, long now) {
        Instant created = Instant.ofEpochMilli(now);
        boolean scheduled = job.runAt() != null && job.runAt().toEpochMilli() > now;
        return new Job(id, job.type(), scheduled ? JobStatus.SCHEDULED : JobStatus.QUEUED, job.priority(),
                job.payload(), 0, job.maxAttempts(), created, scheduled ? job.runAt() : created, null, null,
                job.timeout(), job.backoff(), null, null, null, false);
    }

    /**
     * Commands that add the queue names to the registry that lists and workers read. They go with every enqueue, in
     * the same round trip, so that a registry lost with Redis' data is rebuilt by the next jobs.
     */
    private List<Request> registerQueues(Set<String> queues) {
        Request add = Request.cmd(Command.SADD).arg(queueRegistry());
        queues.forEach(add::arg);
        if (registeredQueues.containsAll(queues)) {
            return List.of(add);
        }
        // workers serving every queue always watch the default queue: wake one so that it looks for new queues
        return List.of(add, Request.cmd(Command.ZADD).arg(keys(QueueName.DEFAULT).marker()).arg(0).arg("0"));
    }

    private String queueRegistry() {
        return config.keyPrefix() + ":queues";
    }

    public Uni<Optional<Job>> find(JobId id) {
        return findAll(List.of(id)).map(found -> Optional.ofNullable(found.get(0)));
    }

    /** Jobs by id, in one round trip; null where a job does not exist (never did, or expired). */
    private Uni<List<Job>> findAll(List<JobId> ids) {
        List<Request> reads = new ArrayList<>();
        for (JobId id : ids) {
            Request read = Request.cmd(Command.HMGET).arg(keys(id.queue()).job(id.ulid()));
            JobCodec.FIELDS.forEach(read::arg);
            reads.add(read);
        }
        return redis.batch(reads).map(responses -> {
            List<Job> jobs = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                jobs.add(JobCodec.decode(ids.get(i), responses.get(i), 0));
            }
            return jobs;
        });
    }

    /** Every queue that ever had a job, sorted by name. */
    public Uni<List<String>> queues() {
        return redis.send(Request.cmd(Command.SMEMBERS).arg(queueRegistry()))
                .map(names -> {
                    List<String> queues = new ArrayList<>();
                    names.forEach(name -> queues.add(name.toString()));
                    queues.sort(Comparator.naturalOrder());
                    return queues;
                });
    }

    /** Jobs per status for each queue, in one round trip. */
    public Uni<Map<String, Map<JobStatus, Long>>> counts(List<String> queues) {
        List<Request> counts = new ArrayList<>();
        for (String queue : queues) {
            QueueKeys k = keys(queue);
            for (String set : List.of(k.scheduled(), k.ready(), k.active(), k.retry(), k.succeeded(), k.failed(),
                    k.cancelled())) {
                counts.add(Request.cmd(Command.ZCARD).arg(set));
            }
        }
        if (counts.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return redis.batch(counts).map(responses -> {
            Map<String, Map<JobStatus, Long>> byQueue = new LinkedHashMap<>();
            JobStatus[] order = { JobStatus.SCHEDULED, JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.RETRYING,
                    JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED };
            int i = 0;
            for (String queue : queues) {
                Map<JobStatus, Long> perStatus = new EnumMap<>(JobStatus.class);
                for (JobStatus status : order) {
                    perStatus.put(status, responses.get(i++).toLong());
                }
                byQueue.put(queue, perStatus);
            }
            return byQueue;
        });
    }

    /**
     * One page of jobs over the given queues, newest first. {@code cursor} is the ULID part of the last id of the
     * previous page, or null for the first page.
     */
    public Uni<JobPage> list(List<String> queues, JobStatus status, int limit, String cursor) {
        if (queues.isEmpty()) {
            return Uni.createFrom().item(new JobPage(List.of(), null));
        }
        List<List<String>> keys = new ArrayList<>();
        List<List<String>> args = new ArrayList<>();
        for (String queue : queues) {
            QueueKeys k = keys(queue);
            keys.add(List.of(k.jobPrefix(), k.all()));
            List<String> callArgs = new ArrayList<>(List.of(cursor == null ? "" : cursor, Integer.toString(limit),
                    status == null ? "" : status.wireName(), Integer.toString(config.listScanLimit())));
            callArgs.addAll(JobCodec.FIELDS);
            args.add(callArgs);
        }
        return redis.scriptBatch(listScript, keys, args).map(responses -> merge(queues, responses, limit));
    }

    /**
     * Merges per-queue pages. A queue whose scan stopped early (not exhausted) has only been examined down to its
     * last id, so only jobs at or above the highest such "floor" are certain to be in order; the rest come next time.
     */
    private static JobPage merge(List<String> queues, List<Response> responses, int limit) {
        List<Job> jobs = new ArrayList<>();
        String floor = null;
        for (int q = 0; q < queues.size(); q++) {
            Response page = responses.get(q);
            for (Response row : page.get(0)) {
                jobs.add(JobCodec.decode(new JobId(queues.get(q), row.get(0).toString()), row, 1));
            }
            boolean exhausted = page.get(2).toInteger() == 1;
            String lastExamined = page.get(1).toString();
            if (!exhausted && (floor == null || lastExamined.compareTo(floor) > 0)) {
                floor = lastExamined;
            }
        }
        jobs.sort(Comparator.comparing((Job job) -> job.id().ulid()).reversed());
        String certainDownTo = floor;
        List<Job> eligible = certainDownTo == null ? jobs
                : jobs.stream().filter(job -> job.id().ulid().compareTo(certainDownTo) >= 0).toList();
        List<Job> page = eligible.subList(0, Math.min(limit, eligible.size()));
        String next;
        if (eligible.size() > limit || (page.size() == limit && floor != null)) {
            next = page.get(page.size() - 1).id().ulid();
        } else {
            next = floor;
        }
        return new JobPage(List.copyOf(page), next);
    }

    /** Leases up to {@code max} jobs of one queue, by priority then arrival, promoting due jobs first. */
    public Uni<Claim> claim(String queue, int max, Duration lease, String token) {
        return claim(queue, max, lease, token, List.of());
    }

    /**
     * Records the given successes of one queue, then leases up to {@code max} more of its jobs, in one script call:
     * a busy worker completes a batch and claims the next in a single round trip.
     */
    public Uni<Claim> claim(String queue, int max, Duration lease, String token, List<Completion> succeeded) {
        QueueKeys k = keys(queue);
        long now = System.currentTimeMillis();
        List<String> keys = List.of(k.jobPrefix(), k.ready(), k.scheduled(), k.retry(), k.active(), k.sequence(),
                k.marker(), k.paused(), k.succeeded(), k.stats());
        List<String> args = new ArrayList<>(6 + 3 * succeeded.size());
        Collections.addAll(args, Long.toString(now), Long.toString(lease.toMillis()), token, Integer.toString(max),
                Integer.toString(config.promoteBatch()), Integer.toString(succeeded.size()));
        for (Completion done : succeeded) {
            Collections.addAll(args, done.job().id().ulid(), done.job().token(), done.result());
        }
        return redis.script(claimScript, keys, args).map(answer -> {
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
            long nextDue = answer.get(1).toLong();
            Response flags = answer.get(2);
            List<Boolean> recorded = new ArrayList<>(flags.size());
            for (Response flag : flags) {
                recorded.add(flag.toInteger() == 1);
            }
            return new Claim(jobs, nextDue == NO_DUE_TIME ? null : Instant.ofEpochMilli(nextDue), recorded);
        });
    }

    /** Records one success; false when the lease was lost (the outcome is then not recorded). */
    public Uni<Boolean> complete(ClaimedJob job, String resultJson) {
        return claim(job.id().queue(), 0, Duration.ZERO, "", List.of(new Completion(job, resultJson)))
                .map(claim -> claim.recorded().get(0));
    }

    /**
     * Records a failed attempt: the job retries at {@code retryAt} if it has attempts left and {@code retryAt} is
     * not null, else it fails for good. Empty when the lease was lost.
     */
    public Uni<Optional<JobStatus>> fail(ClaimedJob job, String error, Instant retryAt) {
        QueueKeys k = keys(job.id().queue());
        String ulid = job.id().ulid();
        List<String> keys = List.of(k.job(ulid), k.active(), k.retry(), k.failed(), k.marker(), k.cancelled(),
                k.stats(), k.recentFailures());
        List<String> args = List.of(ulid, job.token(), Long.toString(System.currentTimeMillis()), error,
                Long.toString(retryAt == null ? NO_DUE_TIME : retryAt.toEpochMilli()),
                Long.toString(retention.failed().toMillis()), Integer.toString(HISTORY_SIZE),
                Integer.toString(RECENT_FAILURES));
        return redis.script(failScript, keys, args).map(answer -> answer.type() == io.vertx.redis.client.ResponseType.NUMBER
                ? Optional.empty()
                : Optional.of(JobStatus.fromWireName(answer.toString())));
    }

    /**
     * Extends the leases of a worker's running jobs of one queue in one call, and reports which of them the worker
     * must stop: those whose lease is lost and those a client asked to cancel.
     */
    public Uni<LeaseReport> extend(String queue, List<ClaimedJob> running, Duration lease) {
        QueueKeys k = keys(queue);
        List<String> args = new ArrayList<>(List.of(Long.toString(System.currentTimeMillis()),
                Long.toString(lease.toMillis())));
        for (ClaimedJob job : running) {
            args.add(job.id().ulid());
            args.add(job.token());
        }
        return redis.script(extendScript, List.of(k.active(), k.jobPrefix()), args)
                .map(answer -> new LeaseReport(ids(queue, answer.get(0)), ids(queue, answer.get(1))));
    }

    /**
     * Housekeeping of one queue: re-queues jobs whose lease expired (or fails them when out of attempts), and drops
     * index entries of finished jobs past their retention.
     */
    public Uni<Recovered> reap(String queue) {
        QueueKeys k = keys(queue);
        List<String> keys = List.of(k.jobPrefix(), k.active(), k.ready(), k.sequence(), k.failed(), k.cancelled(),
                k.all(), k.marker(), k.succeeded(), k.stats(), k.recentFailures());
        List<String> args = List.of(Long.toString(System.currentTimeMillis()), Integer.toString(REAP_BATCH),
                Long.toString(retention.failed().toMillis()), Integer.toString(HISTORY_SIZE),
                Long.toString(retention.succeeded().toMillis()), Integer.toString(RECENT_FAILURES));
        return redis.script(reapScript, keys, args).map(answer -> new Recovered(refs(queue, answer.get(0)),
                refs(queue, answer.get(1)), refs(queue, answer.get(2)), answer.get(3).toInteger() == 1));
    }

    /** The pub/sub channel on which running jobs' workers hear of cancellations (the message is the job id). */
    public String cancelChannel() {
        return config.keyPrefix() + ":cancel";
    }

    /**
     * Cancels a job. A waiting job is cancelled at once; a running one is flagged and its worker told.
     * Answers the status the job has now ("cancel-requested" for a running job), or empty when there is no job.
     */
    public Uni<Optional<String>> cancel(JobId id) {
        QueueKeys k = keys(id.queue());
        List<String> keys = List.of(k.job(id.ulid()), k.ready(), k.scheduled(), k.retry(), k.cancelled(), k.stats());
        List<String> args = List.of(id.ulid(), Long.toString(System.currentTimeMillis()),
                Long.toString(retention.failed().toMillis()), cancelChannel(), id.toString());
        return redis.script(cancelScript, keys, args).map(JobStore::presentStatus);
    }

    /** Re-runs a failed or cancelled job with fresh attempts. Answers the job's status now, empty when missing. */
    public Uni<Optional<String>> requeue(JobId id) {
        QueueKeys k = keys(id.queue());
        List<String> keys = List.of(k.job(id.ulid()), k.failed(), k.cancelled(), k.ready(), k.sequence(), k.marker(),
                k.recentFailures());
        List<String> args = List.of(id.ulid(), Long.toString(System.currentTimeMillis()));
        return redis.script(requeueScript, keys, args).map(JobStore::presentStatus);
    }

    /** Hands a running job back to its queue at once (shutdown); false when the lease was already lost. */
    public Uni<Boolean> release(ClaimedJob job) {
        QueueKeys k = keys(job.id().queue());
        List<String> keys = List.of(k.job(job.id().ulid()), k.active(), k.ready(), k.sequence(), k.marker());
        List<String> args = List.of(job.id().ulid(), job.token(), Long.toString(System.currentTimeMillis()));
        return redis.script(releaseScript, keys, args).map(answer -> answer.toInteger() == 1);
    }

    /** An HGETALL answer: a map in RESP3, a flat list of field, value in RESP2. */
    private static Map<String, String> hash(Response answer) {
        Map<String, String> fields = new LinkedHashMap<>();
        try {
            answer.getKeys().forEach(key -> fields.put(key, answer.get(key).toString()));
        } catch (RuntimeException notAMap) {
            fields.clear();
        }
        if (fields.isEmpty()) {
            for (int i = 0; i + 1 < answer.size(); i += 2) {
                fields.put(answer.get(i).toString(), answer.get(i + 1).toString());
            }
        }
        return fields;
    }

    private static Optional<String> presentStatus(Response answer) {
        String status = answer.toString();
        return "missing".equals(status) ? Optional.empty() : Optional.of(status);
    }

    private static List<Recovered.Ref> refs(String queue, Response pairs) {
        List<Recovered.Ref> refs = new ArrayList<>();
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            refs.add(new Recovered.Ref(new JobId(queue, pairs.get(i).toString()), pairs.get(i + 1).toString()));
        }
        return refs;
    }

    private static List<JobId> ids(String queue, Response ulids) {
        List<JobId> ids = new ArrayList<>();
        for (Response ulid : ulids) {
            ids.add(new JobId(queue, ulid.toString()));
        }
        return ids;
    }

    /** Workers stop claiming from a paused queue; enqueueing still works. */
    public Uni<Void> pause(String queue) {
        return redis.batch(List.of(Request.cmd(Command.SET).arg(keys(queue).paused()).arg("1"),
                Request.cmd(Command.SADD).arg(queueRegistry()).arg(queue))).replaceWithVoid();
    }

    /** Resumes a paused queue and wakes an idle worker for it. */
    public Uni<Void> resume(String queue) {
        QueueKeys k = keys(queue);
        return redis.batch(List.of(Request.cmd(Command.DEL).arg(k.paused()),
                Request.cmd(Command.ZADD).arg(k.marker()).arg(0).arg("0"))).replaceWithVoid();
    }

    /** Which of these queues are paused, in one round trip. */
    public Uni<Map<String, Boolean>> paused(List<String> queues) {
        if (queues.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        // one GET per queue (pipelined), not one MGET: the flags live in different hash slots
        List<Request> reads = queues.stream().map(queue -> Request.cmd(Command.GET).arg(keys(queue).paused())).toList();
        return redis.batch(reads).map(flags -> {
            Map<String, Boolean> paused = new LinkedHashMap<>();
            for (int i = 0; i < queues.size(); i++) {
                paused.put(queues.get(i), flags.get(i) != null);
            }
            return paused;
        });
    }

    /**
     * Operator statistics of one queue, in one round trip: per-type counters, the latest failures, and jobs
     * finished per minute over the last {@code minutes} minutes (counted in the finished-job indexes, so no scan).
     */
    public Uni<QueueStats> stats(String queue, int minutes) {
        QueueKeys k = keys(queue);
        long now = System.currentTimeMillis();
        long minuteStart = now - now % 60_000;
        List<Request> reads = new ArrayList<>();
        reads.add(Request.cmd(Command.HGETALL).arg(k.stats()));
        reads.add(Request.cmd(Command.LRANGE).arg(k.recentFailures()).arg(0).arg(RECENT_FAILURES - 1));
        for (int m = 0; m < minutes; m++) {
            long from = minuteStart - m * 60_000L;
            String to = m == 0 ? "+inf" : "(" + (from + 60_000);
            reads.add(Request.cmd(Command.ZCOUNT).arg(k.succeeded()).arg(from).arg(to));
            reads.add(Request.cmd(Command.ZCOUNT).arg(k.failed()).arg(from).arg(to));
        }
        return redis.batch(reads).chain(answers -> {
            Map<String, Map<String, Long>> byType = new java.util.TreeMap<>();
            hash(answers.get(0)).forEach((field, count) -> {
                int colon = field.lastIndexOf(':');
                byType.computeIfAbsent(field.substring(0, colon), t -> new java.util.TreeMap<>())
                        .put(field.substring(colon + 1), Long.parseLong(count));
            });
            List<QueueStats.Minute> perMinute = new ArrayList<>();
            for (int m = 0; m < minutes; m++) {
                perMinute.add(new QueueStats.Minute(Instant.ofEpochMilli(minuteStart - m * 60_000L),
                        answers.get(2 + 2 * m).toLong(), answers.get(3 + 2 * m).toLong()));
            }
            List<JobId> failedIds = new ArrayList<>();
            answers.get(1).forEach(ulid -> failedIds.add(new JobId(queue, ulid.toString())));
            return findAll(failedIds).map(failed -> new QueueStats(queue, byType,
                    failed.stream().filter(java.util.Objects::nonNull).toList(), perMinute));
        });
    }

    /** The keys an idle worker blocks on to be woken by new work in these queues. */
    public List<String> wakeUpKeys(List<String> queues) {
        return queues.stream().map(queue -> keys(queue).marker()).toList();
    }

    private QueueKeys keys(String queue) {
        return QueueKeys.of(config.keyPrefix(), queue);
    }
}
