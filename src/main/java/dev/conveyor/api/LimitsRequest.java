package dev.conveyor.api;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.conveyor.queue.QueueLimits;

/** The body of {@code PUT /queues/{name}/limits}: a rate, a concurrency or both; they replace the queue's limits. */
@Schema(name = "QueueLimitsRequest", additionalProperties = Schema.False.class)
public record LimitsRequest(
        @Schema(pattern = LimitsRequest.RATE_PATTERN, examples = "100/m", description = "Most jobs started per "
                + "second (s), minute (m) or hour (h), across all workers: <count>/<unit>, count 1 to 1000000.")
        String rate,
        @Schema(minimum = "1", maximum = "1000000", description = "With a rate: most jobs started at once after a "
                + "quiet time, 1 to the rate's count; default a tenth of a second's worth, at least 1.")
        Integer burst,
        @Schema(minimum = "1", maximum = "10000", description = "Most jobs of the queue running at once, across all "
                + "workers.")
        Integer concurrency) {

    static final String RATE_PATTERN = "^[0-9]{1,7}/[smh]$";
    private static final Pattern RATE = Pattern.compile("([0-9]{1,7})/([smh])");

    /** The limits asked for; a 422 problem naming each invalid field. */
    QueueLimits limits() {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (rate == null && concurrency == null) {
            errors.add(new Problem.FieldError("rate", "give a rate, a concurrency or both"));
        }
        QueueLimits.Rate parsed = null;
        if (rate != null) {
            Matcher m = RATE.matcher(rate);
            int count = m.matches() ? Integer.parseInt(m.group(1)) : 0;
            if (count < 1 || count > QueueLimits.MAX_COUNT) {
                errors.add(new Problem.FieldError("rate",
                        "<count>/<unit> with a count of 1 to " + QueueLimits.MAX_COUNT + " and a unit of s, m or h"));
            } else {
                QueueLimits.Unit unit = QueueLimits.Unit.of(m.group(2));
                int allowedBurst = burst == null ? QueueLimits.Rate.defaultBurst(count, unit) : burst;
                if (allowedBurst < 1 || allowedBurst > count) {
                    errors.add(new Problem.FieldError("burst", "1 to the rate's count (" + count + ")"));
                } else {
                    parsed = new QueueLimits.Rate(count, unit, allowedBurst);
                }
            }
        } else if (burst != null) {
            errors.add(new Problem.FieldError("burst", "a burst needs a rate"));
        }
        if (concurrency != null && (concurrency < 1 || concurrency > QueueLimits.MAX_CONCURRENCY)) {
            errors.add(new Problem.FieldError("concurrency", "1 to " + QueueLimits.MAX_CONCURRENCY));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return new QueueLimits(parsed, concurrency);
    }
}
