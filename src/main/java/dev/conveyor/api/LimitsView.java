package dev.conveyor.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.conveyor.queue.QueueLimits;

/** A queue's limits as the API shows them; a limit the queue does not have is left out. */
@Schema(name = "QueueLimits", description = "The queue's rate and concurrency limits, enforced across all workers "
        + "(docs/limits.md).")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LimitsView(
        @Schema(pattern = LimitsRequest.RATE_PATTERN, examples = "100/m") String rate,
        @Schema(minimum = "1", description = "Most jobs started at once after a quiet time.") Integer burst,
        @Schema(minimum = "1", maximum = "10000") Integer concurrency) {

    static LimitsView of(QueueLimits limits) {
        if (limits == null) {
            return null;
        }
        return limits.rate() == null ? new LimitsView(null, null, limits.concurrency())
                : new LimitsView(limits.rate().text(), limits.rate().burst(), limits.concurrency());
    }
}
