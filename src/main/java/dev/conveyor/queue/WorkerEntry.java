package dev.conveyor.queue;

import java.time.Instant;
import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a worker process says of itself in the worker registry: who it is (id, host, pid, version), which queues it
 * consumes, how many jobs it may run and runs now, and when it started and last heartbeat (its own clock). Stored as
 * JSON (hence registered for reflection: the native image reads it back).
 */
@RegisterForReflection
public record WorkerEntry(String id, String host, long pid, List<String> queues, int concurrency, int inFlight,
        Instant startedAt, Instant heartbeatAt, String version) {

    /** Most queue names an entry lists (the rest are left out), so that an entry's size is bounded. */
    public static final int MAX_QUEUES = 100;
    /** Longest host and version kept (cut beyond). */
    public static final int MAX_TEXT = 255;

    public WorkerEntry {
        host = cut(host);
        version = cut(version);
        queues = List.copyOf(queues.size() <= MAX_QUEUES ? queues : queues.subList(0, MAX_QUEUES));
    }

    private static String cut(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT);
    }
}
