package dev.conveyor.queue;

import java.time.Duration;

/**
 * The retention limits of one queue: a finished job is kept while it is within both the age and the count of its
 * status (failed and cancelled jobs share theirs).
 */
record Retention(Duration succeeded, int succeededCount, Duration failed, int failedCount) {

    /** The queue's own limits where it sets them, else the global ones. */
    static Retention of(RetentionConfig config, String queue) {
        RetentionConfig.QueueRetention own = config.queues().get(queue);
        if (own == null) {
            return new Retention(config.succeeded(), config.succeededCount(), config.failed(), config.failedCount());
        }
        return new Retention(own.succeeded().orElse(config.succeeded()),
                own.succeededCount().orElse(config.succeededCount()), own.failed().orElse(config.failed()),
                own.failedCount().orElse(config.failedCount()));
    }
}
