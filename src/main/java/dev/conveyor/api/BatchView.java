package dev.conveyor.api;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The answer to {@code POST /jobs/batch}: the jobs in request order, and for each why it is there: created now, or an
 * existing job, for the same request's idempotency key or holding the unique key.
 */
public record BatchView(@Schema(required = true) List<JobView> jobs,
        @Schema(required = true, description = "Per job, in request order: created (enqueued now), idempotency (the "
                + "job created earlier by the same request with this idempotency key) or unique (the job holding "
                + "the unique key; nothing was enqueued).", type = SchemaType.ARRAY,
                implementation = BatchView.Outcome.class) List<String> outcomes) {

    /** The items of {@code outcomes} in the API's document. */
    @Schema(name = "BatchOutcome", type = SchemaType.STRING, enumeration = { "created", "idempotency", "unique" })
    static final class Outcome {

        private Outcome() {
        }
    }
}
