package dev.conveyor.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.inject.Singleton;

import dev.conveyor.job.Job;
import dev.conveyor.job.JobId;
import dev.conveyor.job.JobStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;

/** Reads of the queues in Redis, for clients and operators: jobs, listings, counts, statistics. Changes nothing. */
@Singleton
public class QueueInspector {

    /** Jobs per status are counted in these sets, in this order. */
    private static final JobStatus[] COUNTED = { JobStatus.SCHEDULED, JobStatus.QUEUED, JobStatus.RUNNING,
            JobStatus.RETRYING, JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED };

    private final RedisCalls redis;
    private final KeySpace keys;
    private final Scripts scripts;
    private final QueueConfig config;

    QueueInspector(RedisCalls redis, KeySpace keys, Scripts scripts, QueueConfig config) {
        this.redis = redis;
        this.keys = keys;
        this.scripts = scripts;
        this.config = config;
    }

    /** Round trip time of a PING; fails like any call when Redis does not answer within the Redis timeout. */
    public Uni<Duration> ping() {
        return Uni.createFrom().deferred(() -> {
            long start = System.nanoTime();
            return redis.send(Request.cmd(Command.PING)).map(pong -> Duration.ofNanos(System.nanoTime() - start));
        });
    }

    public Uni<Optional<Job>> find(JobId id) {
        return findAll(List.of(id)).map(found -> Optional.ofNullable(found.get(0)));
    }

    /**
     * Whether a job that is not found was removed by retention: it was created no later than the newest job that
     * retention removed from its queue (trimming keeps that mark). Read only after a miss, so found jobs pay nothing.
     */
    public Uni<Boolean> expired(JobId id) {
        return redis.send(Request.cmd(Command.ZSCORE).arg(keys.queue(id.queue()).trimMark()).arg("created"))
                .map(mark -> mark != null && id.createdMillis() <= mark.toDouble().longValue());
    }

    /** Jobs by id, in one round trip; null where a job does not exist (never did, or expired). */
    Uni<List<Job>> findAll(List<JobId> ids) {
        return findAll(ids, JobCodec.FIELDS);
    }

    /** @param fields {@link JobCodec#FIELDS}, or its summary without the fields of unbounded size */
    private Uni<List<Job>> findAll(List<JobId> ids, List<String> fields) {
        List<Request> reads = new ArrayList<>();
        for (JobId id : ids) {
            Request read = Request.cmd(Command.HMGET).arg(keys.queue(id.queue()).job(id.ulid()));
            fields.forEach(read::arg);
            reads.add(read);
        }
        return redis.batch(reads, i -> keys.queue(ids.get(i).queue()).base()).map(responses -> {
            List<Job> jobs = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                jobs.add(JobCodec.decode(ids.get(i), responses.get(i), 0));
            }
            return jobs;
        });
    }

    /** Every queue that ever had a job, sorted by name. */
    public Uni<List<String>> queues() {
        return redis.send(Request.cmd(Command.SMEMBERS).arg(keys.registry()))
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
        List<String> routing = new ArrayList<>();
        for (String queue : queues) {
            QueueKeys k = keys.queue(queue);
            for (String set : List.of(k.scheduled(), k.ready(), k.active(), k.retry(), k.succeeded(), k.failed(),
                    k.cancelled())) {
                counts.add(Request.cmd(Command.ZCARD).arg(set));
                routing.add(set);
            }
        }
        if (counts.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return redis.batch(counts, routing::get).map(responses -> {
            Map<String, Map<JobStatus, Long>> byQueue = new LinkedHashMap<>();
            int i = 0;
            for (String queue : queues) {
                Map<JobStatus, Long> perStatus = new EnumMap<>(JobStatus.class);
                for (JobStatus status : COUNTED) {
                    perStatus.put(status, responses.get(i++).toLong());
                }
                byQueue.put(queue, perStatus);
            }
            return byQueue;
        });
    }

    /**
     * One page of jobs over the given queues, newest first, of one status and one type when they are not null. {@code cursor} is the ULID part of the last id of the
     * previous page, or null for the first page. Without {@code content}, jobs come without payload, result and error
     * history, whose sizes only the job limits bound.
     */
    public Uni<JobPage> list(List<String> queues, JobStatus status, String type, int limit, String cursor,
            boolean content) {
        if (queues.isEmpty()) {
            return Uni.createFrom().item(new JobPage(List.of(), null));
        }
        List<List<String>> callKeys = new ArrayList<>();
        List<List<String>> args = new ArrayList<>();
        for (String queue : queues) {
            QueueKeys k = keys.queue(queue);
            callKeys.add(List.of(k.jobPrefix(), k.all()));
            List<String> callArgs = new ArrayList<>(List.of(cursor == null ? "" : cursor, Integer.toString(limit),
                    status == null ? "" : status.wireName(), Integer.toString(config.listScanLimit()),
                    type == null ? "" : type));
            callArgs.addAll(content ? JobCodec.FIELDS : JobCodec.SUMMARY_FIELDS);
            args.add(callArgs);
        }
        return redis.scriptBatch(scripts.list, callKeys, args).map(responses -> merge(queues, responses, limit));
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

    /** The limits of each of these queues that has some, in one round trip. */
    public Uni<Map<String, QueueLimits>> limits(List<String> queues) {
        if (queues.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        List<Request> reads = queues.stream().map(queue -> Request.cmd(Command.HMGET).arg(keys.queue(queue).limits())
                .arg("count").arg("period").arg("burst").arg("concurrency")).toList();
        return redis.batch(reads, i -> keys.queue(queues.get(i)).limits()).map(answers -> {
            Map<String, QueueLimits> limits = new LinkedHashMap<>();
            for (int i = 0; i < queues.size(); i++) {
                QueueLimits stored = storedLimits(answers.get(i));
                if (stored != null) {
                    limits.put(queues.get(i), stored);
                }
            }
            return limits;
        });
    }

    /** The limits in a queue's hash (count, period, burst, concurrency), null without any. */
    private static QueueLimits storedLimits(Response fields) {
        if (fields == null) {
            return null;
        }
        Integer concurrency = fields.get(3) == null ? null : fields.get(3).toInteger();
        QueueLimits.Rate rate = null;
        if (fields.get(0) != null) {
            rate = new QueueLimits.Rate(fields.get(0).toInteger(), QueueLimits.Unit.ofPeriod(fields.get(1).toLong()),
                    fields.get(2).toInteger());
        }
        return rate == null && concurrency == null ? null : new QueueLimits(rate, concurrency);
    }

    /** Which of these queues are paused, in one round trip. */
    public Uni<Map<String, Boolean>> paused(List<String> queues) {
        if (queues.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        // one GET per queue (pipelined), not one MGET: the flags live in different hash slots
        List<Request> reads = queues.stream().map(queue -> Request.cmd(Command.GET).arg(keys.queue(queue).paused()))
                .toList();
        return redis.batch(reads, i -> keys.queue(queues.get(i)).paused()).map(flags -> {
            Map<String, Boolean> paused = new LinkedHashMap<>();
            for (int i = 0; i < queues.size(); i++) {
                paused.put(queues.get(i), flags.get(i) != null);
            }
            return paused;
        });
    }

    /**
     * Operator statistics of these queues in two round trips, however many there are (on a cluster, each round trip
     * is one pipeline per hash tag, sent together): per-type counters and jobs finished per minute over the last
     * {@code minutes} minutes of each queue (the counters workers add with each heartbeat, see
     * {@link ThroughputCounters}), and the {@code failures} latest jobs that failed for good over all of
     * them. Counters and indexes only, no scan: the failed-job index is ordered by finish time, so only the jobs
     * shown are read.
     */
    public Uni<List<QueueStats>> stats(List<String> queues, int minutes, int failures) {
        if (queues.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        long now = System.currentTimeMillis();
        long minuteStart = now - now % 60_000;
        List<Request> reads = new ArrayList<>();
        List<String> routing = new ArrayList<>();
        int perQueue = 0;
        for (String queue : queues) {
            QueueKeys k = keys.queue(queue);
            List<Request> queueReads = new ArrayList<>();
            queueReads.add(Request.cmd(Command.HGETALL).arg(k.stats()));
            queueReads.add(Request.cmd(Command.ZREVRANGE).arg(k.failed()).arg(0).arg(failures - 1).arg("WITHSCORES"));
            queueReads.add(Request.cmd(Command.HGETALL).arg(k.throughput()));
            perQueue = queueReads.size();
            reads.addAll(queueReads);
            queueReads.forEach(read -> routing.add(k.base()));
        }
        int stride = perQueue;
        return redis.batch(reads, routing::get).chain(answers -> {
            List<Map<String, Map<String, Long>>> byType = new ArrayList<>();
            List<List<QueueStats.Minute>> perMinute = new ArrayList<>();
            List<Failure> latest = new ArrayList<>();
            for (int q = 0; q < queues.size(); q++) {
                int at = q * stride;
                byType.add(byType(answers.get(at)));
                latest.addAll(failures(queues.get(q), answers.get(at + 1)));
                perMinute.add(minutes(answers.get(at + 2), minuteStart, minutes));
            }
            List<JobId> ids = latest.stream().sorted(Comparator.comparingDouble(Failure::finishedAt).reversed())
                    .limit(failures).map(Failure::id).toList();
            return findAll(ids, JobCodec.SUMMARY_FIELDS).map(failed -> {
                List<QueueStats> stats = new ArrayList<>();
                for (int q = 0; q < queues.size(); q++) {
                    String queue = queues.get(q);
                    stats.add(new QueueStats(queue, byType.get(q), failed.stream()
                            .filter(job -> job != null && job.queue().equals(queue)).toList(), perMinute.get(q)));
                }
                return stats;
            });
        });
    }

    /** Jobs finished per minute, newest minute first, from a queue's throughput counters. */
    private static List<QueueStats.Minute> minutes(Response counters, long minuteStart, int minutes) {
        Map<String, String> finished = hash(counters);
        List<QueueStats.Minute> perMinute = new ArrayList<>();
        for (int m = 0; m < minutes; m++) {
            long start = minuteStart - m * 60_000L;
            String minute = Long.toString(ThroughputCounters.minuteOf(start));
            perMinute.add(new QueueStats.Minute(Instant.ofEpochMilli(start),
                    Long.parseLong(finished.getOrDefault(minute + ":s", "0")),
                    Long.parseLong(finished.getOrDefault(minute + ":f", "0"))));
        }
        return perMinute;
    }

    /** A stats hash: counters by "type:event". */
    private static Map<String, Map<String, Long>> byType(Response answer) {
        Map<String, Map<String, Long>> byType = new TreeMap<>();
        hash(answer).forEach((field, count) -> {
            int colon = field.lastIndexOf(':');
            byType.computeIfAbsent(field.substring(0, colon), t -> new TreeMap<>())
                    .put(field.substring(colon + 1), Long.parseLong(count));
        });
        return byType;
    }

    /** A job that failed for good, and when (ms). */
    private record Failure(JobId id, double finishedAt) {
    }

    /** A ZREVRANGE WITHSCORES answer of a failed-job index: pairs in RESP3, a flat list of ulid, score in RESP2. */
    private static List<Failure> failures(String queue, Response answer) {
        List<Failure> failures = new ArrayList<>();
        int i = 0;
        while (i < answer.size()) {
            Response item = answer.get(i);
            if (item.type() == ResponseType.MULTI) {
                failures.add(new Failure(new JobId(queue, item.get(0).toString()), item.get(1).toDouble()));
                i++;
            } else {
                failures.add(new Failure(new JobId(queue, item.toString()), answer.get(i + 1).toDouble()));
                i += 2;
            }
        }
        return failures;
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
}
