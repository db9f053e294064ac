package dev.conveyor.api;

import java.time.Duration;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;

/** {@code conveyor.api.*}: limits and defaults of the REST API. Defaults in application.properties. */
@ConfigMapping(prefix = "conveyor.api")
public interface ApiConfig {

    /** Largest request body; larger ones get 413. */
    MemorySize maxBodySize();

    /** Most jobs in one {@code POST /jobs/batch}. */
    int maxBatchSize();

    /** {@code maxAttempts} of a job that does not say. */
    int defaultMaxAttempts();

    /** Page size of {@code GET /jobs} without {@code limit}. */
    int defaultPageSize();

    int maxPageSize();

    /** What a 503 tells clients to wait before trying again. */
    Duration retryAfter();
}
