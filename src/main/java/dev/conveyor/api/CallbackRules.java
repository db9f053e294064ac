package dev.conveyor.api;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.conveyor.callback.CallbackConfig;
import dev.conveyor.http.DestinationPolicy;
import dev.conveyor.http.OutboundUrl;

/**
 * Checks a job's {@code callback} and gives its stored form. The URL follows the {@code http} job type's rules: an
 * absolute http(s) URL, refused at once when its host is a blocked literal address (a host name is checked again at
 * each delivery, as DNS may change). Deliveries are signed, so a callback needs the signing secret.
 */
@Singleton
class CallbackRules {

    /** A delivery's time beyond the receiver's timeout, to read the job and sign it. */
    private static final long DELIVERY_MARGIN_MS = 5_000;

    private final CallbackConfig config;
    private final DestinationPolicy policy;
    private final ObjectMapper mapper;

    CallbackRules(CallbackConfig config, DestinationPolicy policy, ObjectMapper mapper) {
        this.config = config;
        this.policy = policy;
        this.mapper = mapper;
    }

    /** Adds the callback's problems, named {@code callback.url}, {@code callback.events[i]}... */
    void check(CallbackRequest callback, List<Problem.FieldError> found) {
        if (config.secret().isEmpty()) {
            found.add(new Problem.FieldError("callback", "cannot be accepted: this server has no signing secret "
                    + "(conveyor.callbacks.secret)"));
            return;
        }
        if (callback.url() != null && !callback.url().isBlank()) {
            try {
                OutboundUrl.parse(callback.url());
                policy.literalRefusal(callback.url())
                        .ifPresent(why -> found.add(new Problem.FieldError("callback.url", why)));
            } catch (IllegalArgumentException e) {
                found.add(new Problem.FieldError("callback.url", e.getMessage()));
            }
        }
        if (callback.events() == null) {
            return;
        }
        if (callback.events().isEmpty()) {
            found.add(new Problem.FieldError("callback.events", "must name at least one of "
                    + String.join(", ", CallbackRequest.EVENTS) + ", or be left out for all three"));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < callback.events().size(); i++) {
            String event = callback.events().get(i);
            if (!CallbackRequest.EVENTS.contains(event)) {
                found.add(new Problem.FieldError("callback.events[" + i + "]", "must be one of "
                        + String.join(", ", CallbackRequest.EVENTS)));
            } else if (!seen.add(event)) {
                found.add(new Problem.FieldError("callback.events[" + i + "]", "is named twice"));
            }
        }
    }

    /** The events asked for, the default applied. */
    static List<String> events(CallbackRequest callback) {
        return callback.events() == null ? CallbackRequest.EVENTS : callback.events();
    }

    /** What the job stores: the callback and the delivery settings (see includes/callback.lua), as JSON. */
    String stored(CallbackRequest callback, int priority) {
        ObjectNode stored = mapper.createObjectNode().put("url", callback.url());
        ArrayNode events = stored.putArray("events");
        events(callback).forEach(events::add);
        return stored.put("priority", priority).put("maxAttempts", config.maxAttempts())
                .put("timeout", config.timeout().toMillis() + DELIVERY_MARGIN_MS)
                .put("backoffInitial", config.initialDelay().toMillis())
                .put("backoffMax", config.maxDelay().toMillis())
                .toString();
    }
}
