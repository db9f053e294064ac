package dev.conveyor.api;

import java.time.Duration;

import jakarta.validation.constraints.Min;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;

/** {@code conveyor.api.*}: limits and defaults of the REST API. Defaults in application.properties. */
@ConfigMapping(prefix = "conveyor.api")
public interface ApiConfig {

    /** Largest request body; larger ones get 413. */
    MemorySize maxBodySize();

    /** Largest payload of one job, as compact JSON; separate from the body limit, which batches need. */
    MemorySize maxPayloadSize();

    /** How far ahead a job may be scheduled, by {@code delay} or {@code runAt}. */
    Duration maxScheduleAhead();

    /** Longest {@code timeout} a job may set. */
    Duration maxTimeout();

    /** Most bytes of payloads, results and error histories in one page of {@code GET /jobs?full=true}. */
    MemorySize maxPageBytes();

    /** Most jobs in one {@code POST /jobs/batch}. */
    int maxBatchSize();

    /** {@code maxAttempts} of a job that does not say. */
    int defaultMaxAttempts();

    /** Page size of {@code GET /jobs} without {@code limit}. */
    int defaultPageSize();

    int maxPageSize();

    /** Longest {@code wait} of a result or an enqueue: longer ones are cut to it. */
    Duration maxWait();

    /** What a 503 tells clients to wait before trying again. */
    Duration retryAfter();

    /** Most jobs one script call of a bulk action on a queue handles (at least 1). */
    @Min(1)
    int bulkChunk();
}
