package dev.conveyor.queue;

import java.time.Instant;

/** A live entry of the worker registry, with when it expires unless its worker heartbeats again (Redis' clock). */
public record RegisteredWorker(WorkerEntry entry, Instant expiresAt) {
}
