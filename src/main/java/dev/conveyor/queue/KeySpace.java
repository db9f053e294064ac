package dev.conveyor.queue;

import jakarta.inject.Singleton;

/** Names under the configured key prefix: per queue ({@link QueueKeys}) and the few shared by all queues. */
@Singleton
class KeySpace {

    private final String prefix;

    KeySpace(QueueConfig config) {
        this.prefix = config.keyPrefix();
    }

    QueueKeys queue(String name) {
        return QueueKeys.of(prefix, name);
    }

    /** The set of every queue name that ever had a job. */
    String registry() {
        return prefix + ":queues";
    }

    /** A client's rate limit: a hash tag of its own, so the limit script touches one slot on Redis Cluster. */
    String rateLimit(String client) {
        return prefix + ":{rate:" + client + "}";
    }

    /**
     * A process' own stream, written to wake its blocking read of events streams when it starts following one more
     * queue (one Redis only: on a cluster each queue has its own read).
     */
    String eventsWakeUp(String process) {
        return prefix + ":events-wake:" + process;
    }

    /** The worker registry's hash of entries (worker id to JSON); one hash tag with its expiries, so one slot. */
    String workers() {
        return prefix + ":{workers}:entries";
    }

    /** The worker registry's sorted set of worker ids, scored by when each entry expires (ms, Redis' clock). */
    String workerExpiries() {
        return prefix + ":{workers}:expiries";
    }

    /**
     * A key of the schedules: {@code defs} (hash: name to definition JSON), {@code due} (sorted set: name scored by
     * its next tick), {@code paused} (set), {@code runs} (hash: name to its last run), {@code jobs} (hash: name to the
     * id of its last fired job). One hash tag, so every schedule script touches one slot of a cluster.
     */
    String schedules(String part) {
        return prefix + ":{schedules}:" + part;
    }

    /** The pub/sub channel on which running jobs' workers hear of cancellations (the message is the job id). */
    String cancelChannel() {
        return prefix + ":cancel";
    }
}
