package dev.conveyor.auth;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a client may do. A role implies the lesser ones it contains ({@link #granted()}), so that endpoints name the
 * least role that suffices.
 */
public enum Role {
    /** enqueue, and read its own queues' jobs and results */
    SUBMIT,
    /** read jobs, lists, results, queues and stats */
    READ,
    /** read, plus cancel, re-run, pause and resume */
    MANAGE,
    /** everything, in every queue */
    ADMIN;

    public static final String SUBMIT_NAME = "submit";
    public static final String READ_NAME = "read";
    public static final String MANAGE_NAME = "manage";
    public static final String ADMIN_NAME = "admin";

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** This role and those it implies. */
    public Set<Role> granted() {
        return switch (this) {
            case SUBMIT -> EnumSet.of(SUBMIT);
            case READ -> EnumSet.of(READ);
            case MANAGE -> EnumSet.of(MANAGE, READ);
            case ADMIN -> EnumSet.allOf(Role.class);
        };
    }

    public static Optional<Role> fromWireName(String name) {
        for (Role role : values()) {
            if (role.wireName().equals(name)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
