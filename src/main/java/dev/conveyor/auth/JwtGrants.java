package dev.conveyor.auth;

import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.inject.Singleton;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.conveyor.job.QueueName;
import dev.conveyor.role.ApiRole;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;

/**
 * Gives a verified JWT its caller: roles from the {@code groups} claim (SmallRye JWT's roles; names other than
 * submit, read, manage and admin are ignored), queues from the claim named by {@code conveyor.auth.jwt.queues-claim}
 * (an array of queue names, or "*"; none: no queue). The caller's name is {@code jwt:<subject>}, which no API key
 * name can take over as an idempotency scope.
 */
@ApiRole
@Singleton
public class JwtGrants implements SecurityIdentityAugmentor {

    private final String queuesClaim;

    JwtGrants(AuthConfig config) {
        this.queuesClaim = config.jwt().queuesClaim();
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)
                || identity.getAttribute(Caller.ATTRIBUTE) != null) {
            return Uni.createFrom().item(identity);
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        identity.getRoles().forEach(group -> Role.fromWireName(group).ifPresent(roles::add));
        String subject = token.getSubject() != null ? token.getSubject() : token.getName();
        Caller caller = Caller.of("jwt:" + subject, roles, queues(token), null);
        return Uni.createFrom().item(Identities.of(identity, caller));
    }

    private Set<String> queues(JsonWebToken token) {
        Object claim = token.getClaim(queuesClaim);
        Set<String> queues = new LinkedHashSet<>();
        if (claim instanceof JsonString text) {
            add(text.getString(), queues);
        } else if (claim instanceof JsonArray array) {
            for (JsonValue value : array) {
                if (value instanceof JsonString text) {
                    add(text.getString(), queues);
                }
            }
        } else if (claim instanceof String text) {
            add(text, queues);
        } else if (claim instanceof Iterable<?> values) {
            values.forEach(value -> add(String.valueOf(value), queues));
        }
        return queues;
    }

    private static void add(String queue, Set<String> queues) {
        if (queue.equals(Caller.ALL_QUEUES) || QueueName.isValid(queue)) {
            queues.add(queue);
        }
    }
}
