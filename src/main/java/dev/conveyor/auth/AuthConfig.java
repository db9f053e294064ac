package dev.conveyor.auth;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** {@code conveyor.auth.*}: who may call the REST API. Defaults in application.properties. */
@ConfigMapping(prefix = "conveyor.auth")
public interface AuthConfig {

    /** False: every request may do everything (dev mode and tests that opt out). */
    boolean enabled();

    /** The API keys file (JSON, hashes only), mounted from a Secret; re-read when it changes. */
    Optional<Path> keysFile();

    /** How often the keys file is checked for changes. */
    Duration keysReload();

    Jwt jwt();

    interface Jwt {
        /** The claim that lists a token's queues (an array of names, or "*"). */
        String queuesClaim();
    }
}
