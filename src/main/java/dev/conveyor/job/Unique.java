package dev.conveyor.job;

import java.time.Duration;
import java.util.Locale;

/**
 * A job's unique key: while the job is in its {@code scope}, at most {@code ttl}, no other job of its queue with the
 * same key is created; enqueueing one answers the job holding the key.
 */
public record Unique(String key, Scope scope, Duration ttl) {

    /** How long a job holds its key. */
    public enum Scope {
        /** while it waits (scheduled or queued), until it first starts running */
        QUEUED,
        /** until it succeeds, fails for good or is cancelled; a retrying job still holds it */
        ACTIVE,
        /** until it succeeds: a job that fails or is cancelled keeps the key until the ttl */
        UNTIL_DONE;

        public static final Scope DEFAULT = ACTIVE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** @return null for a name that is not a scope */
        public static Scope fromWireName(String name) {
            for (Scope scope : values()) {
                if (scope.wireName().equals(name)) {
                    return scope;
                }
            }
            return null;
        }
    }
}
