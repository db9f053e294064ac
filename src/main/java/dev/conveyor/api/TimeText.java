package dev.conveyor.api;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** Times and durations of a request, which arrive as text so that a bad one is reported with its field name. */
final class TimeText {

    private TimeText() {
    }

    /**
     * The instant, or null when the text is not an RFC 3339 date-time. Java also accepts signed years of more than
     * four digits, which RFC 3339 does not, and whose instants do not fit in epoch milliseconds.
     */
    static Instant rfc3339(String text) {
        try {
            OffsetDateTime parsed = OffsetDateTime.parse(text);
            // the store keeps milliseconds: answer now with the instant every later read will show
            return parsed.getYear() >= 0 && parsed.getYear() <= 9999
                    ? parsed.toInstant().truncatedTo(ChronoUnit.MILLIS)
                    : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The ISO-8601 duration, or null when the text is not one. */
    static Duration duration(String text) {
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** A duration as ISO-8601 text, in days when it is several whole ones ({@code P365D} rather than {@code PT8760H}). */
    static String text(Duration duration) {
        return duration.toSeconds() % 86_400 == 0 && duration.toNanosPart() == 0 && duration.toDays() > 1
                ? "P" + duration.toDays() + "D"
                : duration.toString();
    }
}
