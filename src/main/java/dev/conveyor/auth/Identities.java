package dev.conveyor.auth;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;

/** Security identities that carry a {@link Caller}: its name as principal, its roles as Quarkus roles. */
final class Identities {

    private Identities() {
    }

    static SecurityIdentity of(Caller caller) {
        return with(QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(caller.name())), caller);
    }

    /** The identity, its roles and attributes kept, with the caller's roles and the caller added. */
    static SecurityIdentity of(SecurityIdentity identity, Caller caller) {
        return with(QuarkusSecurityIdentity.builder(identity), caller);
    }

    private static SecurityIdentity with(QuarkusSecurityIdentity.Builder builder, Caller caller) {
        caller.roles().forEach(role -> builder.addRole(role.wireName()));
        return builder.addAttribute(Caller.ATTRIBUTE, caller).setAnonymous(false).build();
    }
}
