package dev.conveyor.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.conveyor.job.Backoff;
import dev.conveyor.job.Job;
import dev.conveyor.job.JobId;
import dev.conveyor.job.JobStatus;
import dev.conveyor.job.Unique;
import io.vertx.mutiny.redis.client.Response;

/** Reads a job hash. Fields are always fetched in {@link #FIELDS} order (HMGET), whatever the RESP version. */
final class JobCodec {

    static final List<String> FIELDS = List.of("type", "status", "priority", "payload", "attempts", "maxAttempts",
            "createdAt", "runAt", "startedAt", "finishedAt", "timeout", "backoffInitial", "backoffMax", "result", "error",
            "history", "cancel", "progress", "callback", "delivery", "unique", "schedule",
            "scheduledFor");

    /**
     * {@link #FIELDS} without the fields of unbounded size (payload, result, error history): a hash field that no job
     * has takes their places, so they read as null and decoding stays the same.
     */
    static final List<String> SUMMARY_FIELDS = FIELDS.stream()
            .map(field -> List.of("payload", "result", "history").contains(field) ? "-" : field).toList();

    private JobCodec() {
    }

    /** @param values the HMGET answer, starting at {@code offset}; null when the job does not exist */
    static Job decode(JobId id, Response values, int offset) {
        if (values.get(offset) == null) {
            return null;
        }
        return new Job(id,
                text(values, offset),
                JobStatus.fromWireName(text(values, offset + 1)),
                (int) number(values, offset + 2),
                text(values, offset + 3),
                (int) number(values, offset + 4),
                (int) number(values, offset + 5),
                instant(values, offset + 6),
                instant(values, offset + 7),
                instant(values, offset + 8),
                instant(values, offset + 9),
                duration(values, offset + 10),
                backoff(duration(values, offset + 11), duration(values, offset + 12)),
                text(values, offset + 13),
                text(values, offset + 14),
                text(values, offset + 15),
                "1".equals(text(values, offset + 16)),
                text(values, offset + 17),
                text(values, offset + 18),
                text(values, offset + 19),
                unique(text(values, offset + 20)),
                text(values, offset + 21),
                instant(values, offset + 22));
    }

    /** A job's unique key as the scripts keep it, {@code "<scope> <ttl ms> <key>"} (includes/unique.lua); or null. */
    static Unique unique(String stored) {
        if (stored == null) {
            return null;
        }
        String[] parts = stored.split(" ", 3);
        return new Unique(parts[2], Unique.Scope.fromWireName(parts[0]), Duration.ofMillis(Long.parseLong(parts[1])));
    }

    /** The jobs of one queue named by a list of ulids. */
    static List<JobId> ids(String queue, Response ulids) {
        List<JobId> ids = new ArrayList<>(ulids.size());
        for (Response ulid : ulids) {
            ids.add(new JobId(queue, ulid.toString()));
        }
        return ids;
    }

    /** A job's own backoff, null when it uses the worker's; a null {@code max} means the worker's cap. */
    static Backoff backoff(Duration initial, Duration max) {
        return initial == null ? null : new Backoff(initial, max);
    }

    static String text(Response values, int index) {
        Response value = values.get(index);
        return value == null ? null : value.toString();
    }

    static long number(Response values, int index) {
        Response value = values.get(index);
        return value == null ? 0 : Long.parseLong(value.toString());
    }

    private static Instant instant(Response values, int index) {
        Response value = values.get(index);
        return value == null ? null : Instant.ofEpochMilli(Long.parseLong(value.toString()));
    }

    static Duration duration(Response values, int index) {
        long millis = number(values, index);
        return millis <= 0 ? null : Duration.ofMillis(millis);
    }
}
