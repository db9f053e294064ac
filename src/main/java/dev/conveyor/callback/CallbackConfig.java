package dev.conveyor.callback;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code conveyor.callbacks.*}: how completion webhooks are signed, and how their deliveries are tried. The delivery
 * settings are the API's: they are stored with each job that has a callback when it is enqueued.
 */
@ConfigMapping(prefix = "conveyor.callbacks")
public interface CallbackConfig {

    /** The signing secret (from a Kubernetes Secret); without it a job with a callback is refused. */
    Optional<String> secret();

    /** The secret being replaced while receivers move to the new one: deliveries carry a signature for each. */
    Optional<String> previousSecret();

    /** Tries of one delivery before it fails for good. */
    @WithDefault("10")
    int maxAttempts();

    /** Backoff ceiling after the first failed try (full jitter, doubling). */
    @WithDefault("30s")
    Duration initialDelay();

    /** Cap of the backoff ceiling. */
    @WithDefault("1h")
    Duration maxDelay();

    /** Longest wait for the receiver's answer to one try. */
    @WithDefault("10s")
    Duration timeout();
}
