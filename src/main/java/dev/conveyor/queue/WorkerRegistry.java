package dev.conveyor.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * The worker registry in Redis: one entry per live worker process, each carrying its own expiry, so a worker that
 * stops heartbeating drops out with no setting on the reading side. Entries live in one hash (worker id to JSON) with
 * a sorted set of expiries beside it, under one hash tag, so every call touches one slot of a cluster. Each heartbeat
 * also drops expired entries; the keys expire with their last entry.
 */
@Singleton
public class WorkerRegistry {

    /** Most entries; a new worker beyond it is not listed (its heartbeat says so). */
    public static final int MAX_WORKERS = 10_000;
    /** Most expired entries one heartbeat drops (the next drops more). */
    private static final int PRUNE_BATCH = 1000;

    private final RedisCalls redis;
    private final KeySpace keys;
    private final Scripts scripts;
    private final ObjectMapper json;

    WorkerRegistry(RedisCalls redis, KeySpace keys, Scripts scripts, ObjectMapper json) {
        this.redis = redis;
        this.keys = keys;
        this.scripts = scripts;
        this.json = json;
    }

    /** Writes or refreshes the entry, to expire after {@code lifetime}; false when the registry is full. */
    public Uni<Boolean> heartbeat(WorkerEntry entry, Duration lifetime) {
        return redis.script(scripts.workerHeartbeat, List.of(keys.workers(), keys.workerExpiries()),
                List.of(entry.id(), write(entry), Long.toString(lifetime.toMillis()), Integer.toString(MAX_WORKERS),
                        Integer.toString(PRUNE_BATCH)))
                .map(expiresAt -> expiresAt.toLong() >= 0);
    }

    /** Removes the entry at once (a worker stopping gracefully). */
    public Uni<Void> remove(String id) {
        return redis.batch(List.of(Request.cmd(Command.HDEL).arg(keys.workers()).arg(id),
                Request.cmd(Command.ZREM).arg(keys.workerExpiries()).arg(id))).replaceWithVoid();
    }

    /** The entries that have not expired, in no particular order. */
    public Uni<List<RegisteredWorker>> live() {
        return redis.script(scripts.workers, List.of(keys.workers(), keys.workerExpiries()), List.of())
                .map(this::read);
    }

    private List<RegisteredWorker> read(Response pairs) {
        List<RegisteredWorker> workers = new ArrayList<>();
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            WorkerEntry entry = read(pairs.get(i).toString());
            if (entry != null) {
                workers.add(new RegisteredWorker(entry, Instant.ofEpochMilli(pairs.get(i + 1).toDouble().longValue())));
            }
        }
        return workers;
    }

    private String write(WorkerEntry entry) {
        try {
            return json.writeValueAsString(entry);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("worker entry not serializable", e);
        }
    }

    /** Null for an entry this version cannot read: it is left out, and expires on its own. */
    private WorkerEntry read(String entry) {
        try {
            return json.readValue(entry, WorkerEntry.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
