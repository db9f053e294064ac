package dev.conveyor.schedule;

/** What a schedule does with ticks missed while nothing could fire them (every process down, Redis unreachable). */
public enum CatchUp {
    /** Missed ticks are skipped: the schedule goes on with its next future tick. */
    NONE("none"),
    /** The latest missed tick fires once (late); the others are skipped. */
    LATEST("latest");

    private final String wireName;

    CatchUp(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Null for an unknown name. */
    public static CatchUp fromWireName(String name) {
        for (CatchUp value : values()) {
            if (value.wireName.equals(name)) {
                return value;
            }
        }
        return null;
    }
}
