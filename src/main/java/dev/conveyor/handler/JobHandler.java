package dev.conveyor.handler;

import java.util.List;

import io.smallrye.mutiny.Uni;

/**
 * One job type. Adding a type is one class: an {@code @ApplicationScoped} bean implementing this interface.
 *
 * @param <P> the payload, read from the job's JSON with Jackson and checked with Bean Validation at enqueue time
 * @param <R> the result, stored as JSON; it must be serializable by Jackson
 */
public interface JobHandler<P, R> {

    /** The name clients put in a job's {@code type}. */
    String type();

    Class<P> payloadType();

    /**
     * Runs one attempt. Fail the {@code Uni} to fail the attempt: it is retried with backoff unless the failure is a
     * {@link PermanentJobFailure}. The {@code Uni} is cancelled when the job times out.
     */
    Uni<R> handle(P payload, JobContext context);

    /**
     * Problems with a valid-looking payload that depend on this process' configuration (a destination the settings
     * forbid, say); checked at enqueue after the payload's own rules. Paths as in {@link PayloadReader.Violation}.
     */
    default List<PayloadReader.Violation> configuredViolations(P payload) {
        return List.of();
    }

    /** True when {@link #handle} blocks or burns CPU: the worker then calls it on a worker thread, off the event loop. */
    default boolean blocking() {
        return false;
    }

    /**
     * True for a type that only Conveyor itself enqueues (a webhook delivery, say): clients get 422 for it, and the
     * API's document leaves it out.
     */
    default boolean internal() {
        return false;
    }

    /** A valid payload, for documentation. */
    String examplePayload();

    /**
     * The payload's schema in the API's OpenAPI document: an OpenAPI 3 schema object as JSON text, with
     * {@code "additionalProperties": false} when unknown fields are refused. Any JSON object unless overridden.
     */
    default String payloadSchema() {
        return "{\"type\": \"object\"}";
    }

    /** The result's schema in the API's OpenAPI document, as {@link #payloadSchema()}; any JSON object by default. */
    default String resultSchema() {
        return "{\"type\": \"object\"}";
    }
}
