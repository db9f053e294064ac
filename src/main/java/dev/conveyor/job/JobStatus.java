package dev.conveyor.job;

import java.util.Locale;

/** Where a job is in its lifecycle; the lower-case name is what clients and Redis see. */
public enum JobStatus {
    SCHEDULED, QUEUED, RUNNING, RETRYING, SUCCEEDED, FAILED, CANCELLED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isFinished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    /** @throws IllegalArgumentException for a name that is not a status */
    public static JobStatus fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
