package dev.conveyor.auth;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import jakarta.inject.Singleton;

import dev.conveyor.role.ApiRole;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** {@code conveyor_auth_denied_total{reason}}: refused requests by reason; no token material, no caller names. */
@ApiRole
@Singleton
public class DeniedRequests {

    /** Why a request was refused; the label value is the wire name. */
    public enum Reason {
        /** no Authorization header */
        MISSING_TOKEN,
        /** an unknown API key, or a JWT that does not verify */
        INVALID_TOKEN,
        /** a known caller without the role the endpoint needs */
        FORBIDDEN_ROLE,
        /** a known caller without a grant of the queue */
        FORBIDDEN_QUEUE,
        /** a caller over its rate */
        RATE_LIMITED;

        String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final Map<Reason, Counter> counters = new EnumMap<>(Reason.class);

    DeniedRequests(MeterRegistry registry) {
        for (Reason reason : Reason.values()) {
            counters.put(reason, Counter.builder("conveyor.auth.denied")
                    .description("API requests refused by access control, by reason")
                    .tag("reason", reason.wireName()).register(registry));
        }
    }

    public void count(Reason reason) {
        counters.get(reason).increment();
    }
}
