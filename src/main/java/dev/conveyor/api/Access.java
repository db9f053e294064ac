package dev.conveyor.api;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.conveyor.auth.Caller;
import dev.conveyor.auth.DeniedRequests;
import dev.conveyor.auth.Rate;
import dev.conveyor.queue.RateLimiter;
import dev.conveyor.role.ApiRole;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * What the caller of this request may do beyond its role (which the endpoints' {@code @RolesAllowed} check): its rate,
 * and its queues. A job id names its queue, so a job in a queue the caller may not see is a 403 before any lookup:
 * the answer never tells whether the job exists. Manage and admin actions leave one line in the audit log.
 */
@ApiRole
@Singleton
public class Access {

    private static final Logger AUDIT = Logger.getLogger("conveyor.audit");

    private final CurrentIdentityAssociation identities;
    private final RateLimiter limiter;
    private final DeniedRequests denied;

    Access(CurrentIdentityAssociation identities, RateLimiter limiter, DeniedRequests denied) {
        this.identities = identities;
        this.limiter = limiter;
        this.denied = denied;
    }

    /**
     * The caller, once its rate lets a request of this cost through (a batch costs its number of jobs); else a 429
     * telling when to come back. The role checks have authenticated the request already, so the identity is at hand.
     */
    Uni<Caller> enter(long cost) {
        Caller caller = caller();
        Rate rate = caller.rate();
        if (rate == null) {
            return Uni.createFrom().item(caller);
        }
        return limiter.take(caller.name(), rate.count(), rate.per(), cost).map(wait -> {
            if (!wait.isZero()) {
                denied.count(DeniedRequests.Reason.RATE_LIMITED);
                throw new RateLimitedException(caller, wait);
            }
            return caller;
        });
    }

    Caller caller() {
        SecurityIdentity identity = identities.getIdentity();
        Caller caller = identity.getAttribute(Caller.ATTRIBUTE);
        if (caller == null) {
            // a verified JWT without the augmentation cannot happen; refuse rather than guess
            throw new io.quarkus.security.UnauthorizedException();
        }
        return caller;
    }

    /** 403 unless the caller may use this queue; {@code field} names where the request named it. */
    void checkQueue(Caller caller, String queue, String field) {
        if (!caller.mayUse(queue)) {
            throw forbiddenQueues(List.of(new Problem.FieldError(field, "names queue " + queue
                    + ", which this client may not use")));
        }
    }

    ProblemException forbiddenQueues(List<Problem.FieldError> errors) {
        denied.count(DeniedRequests.Reason.FORBIDDEN_QUEUE);
        return new ProblemException(403, "forbidden-queue", "Queue not granted", errors.size() == 1
                ? "this client may not use the queue its " + errors.get(0).field() + " names"
                : errors.size() + " jobs name queues this client may not use", errors, null);
    }

    /** One audit line: who did what to which job or queue, and how it ended. */
    void audit(Caller caller, String action, String target, String outcome) {
        AUDIT.infof("%s %s %s: %s", caller.name().isEmpty() ? "(open API)" : caller.name(), action, target, outcome);
    }

    /** 429: the caller is over its rate; {@link AccessProblems} adds Retry-After. */
    static final class RateLimitedException extends RuntimeException {

        private final transient Caller caller;
        private final Duration wait;

        RateLimitedException(Caller caller, Duration wait) {
            super(null, null, false, false);
            this.caller = caller;
            this.wait = wait;
        }

        Problem toProblem(String instance) {
            return new Problem(ProblemException.type("rate-limited"), "Too many requests", 429, "this client may send "
                    + caller.rate() + "; retry after " + retryAfterSeconds() + " s", instance, null, null);
        }

        long retryAfterSeconds() {
            return Math.max(1, (wait.toMillis() + 999) / 1000);
        }
    }
}
