package dev.conveyor.auth;

import java.util.EnumSet;
import java.util.Set;

/**
 * Who is calling and what it may do: its name (audit log, idempotency scope, rate bucket), its roles with those they
 * imply, the queues it may touch, and its rate (null: none).
 */
public record Caller(String name, Set<Role> roles, Set<String> queues, Rate rate) {

    /** The identity attribute that carries the caller. */
    public static final String ATTRIBUTE = "conveyor.caller";

    /** A grant of every queue. */
    public static final String ALL_QUEUES = "*";

    /** The caller of an API with access control turned off: everything, unnamed. */
    public static final Caller OPEN = new Caller("", EnumSet.allOf(Role.class), Set.of(ALL_QUEUES), null);

    public Caller {
        roles = Set.copyOf(roles);
        queues = Set.copyOf(queues);
    }

    /** A caller holding these roles and every role they imply. */
    public static Caller of(String name, Set<Role> roles, Set<String> queues, Rate rate) {
        Set<Role> granted = EnumSet.noneOf(Role.class);
        roles.forEach(role -> granted.addAll(role.granted()));
        return new Caller(name, granted, queues, rate);
    }

    public boolean mayUse(String queue) {
        return roles.contains(Role.ADMIN) || queues.contains(ALL_QUEUES) || queues.contains(queue);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }
}
