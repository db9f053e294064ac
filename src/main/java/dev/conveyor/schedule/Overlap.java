package dev.conveyor.schedule;

/** Whether a tick fires while the job of an earlier tick has not finished yet. */
public enum Overlap {
    /** Every tick fires its job. */
    ALLOW("allow"),
    /** A tick whose previous job is still scheduled, queued, running or retrying is skipped. */
    SKIP("skip");

    private final String wireName;

    Overlap(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Null for an unknown name. */
    public static Overlap fromWireName(String name) {
        for (Overlap value : values()) {
            if (value.wireName.equals(name)) {
                return value;
            }
        }
        return null;
    }
}
