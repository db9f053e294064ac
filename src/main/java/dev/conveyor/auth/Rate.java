package dev.conveyor.auth;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client's rate limit as a keys file states it ({@code "rate": "500/s"}): {@code count} requests (a batch counts as
 * its jobs) per second, minute or hour. {@code count} is also the burst: a full bucket lets that many through at once.
 */
public record Rate(long count, Duration per) {

    public static final long MAX_COUNT = 1_000_000_000L;

    private static final Pattern TEXT = Pattern.compile("(\\d{1,10})/([smh])");
    private static final String FORM = "rate must look like 500/s, 20000/m or 100/h (1 to " + MAX_COUNT
            + " per second, minute or hour)";

    public Rate {
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException(FORM + ", not " + count + " per " + per);
        }
        if (unit(per) == null) {
            throw new IllegalArgumentException(FORM + ", not per " + per);
        }
    }

    /** @throws IllegalArgumentException naming the expected form, when {@code text} is not {@code <count>/<s|m|h>} */
    public static Rate parse(String text) {
        Matcher matcher = TEXT.matcher(text == null ? "" : text);
        long count = matcher.matches() ? Long.parseLong(matcher.group(1)) : 0;
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException(FORM + ", not \"" + text + "\"");
        }
        Duration per = switch (matcher.group(2)) {
            case "s" -> Duration.ofSeconds(1);
            case "m" -> Duration.ofMinutes(1);
            default -> Duration.ofHours(1);
        };
        return new Rate(count, per);
    }

    /** The text {@link #parse} reads, such as {@code 500/s}. */
    @Override
    public String toString() {
        return count + "/" + unit(per);
    }

    private static String unit(Duration per) {
        if (Duration.ofSeconds(1).equals(per)) {
            return "s";
        }
        if (Duration.ofMinutes(1).equals(per)) {
            return "m";
        }
        return Duration.ofHours(1).equals(per) ? "h" : null;
    }
}
