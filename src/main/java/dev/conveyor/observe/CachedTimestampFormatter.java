package dev.conveyor.observe;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Level;

import org.jboss.logmanager.ExtFormatter;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.formatters.PatternFormatter;

/**
 * A console pattern that starts with Quarkus' default timestamp, {@value #DEFAULT_TIMESTAMP}, with that timestamp
 * written from a text cached per second: the same line, for less. On JDK 17, DateTimeFormatter prints the
 * milliseconds through BigDecimal, a cost the worker's event loop pays on every INFO line of a job state change
 * (figures in docs/performance.md).
 */
final class CachedTimestampFormatter extends ExtFormatter {

    static final String DEFAULT_TIMESTAMP = "%d{yyyy-MM-dd HH:mm:ss,SSS}";
    private static final DateTimeFormatter TO_THE_SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,");

    private final ZoneId zone = ZoneId.systemDefault();
    private final PatternFormatter rest;
    private volatile Second cached = new Second(Long.MIN_VALUE, "");

    private CachedTimestampFormatter(PatternFormatter rest) {
        this.rest = rest;
    }

    /**
     * This formatter for the console's {@code pattern}, in place of {@code current}, when the pattern starts with the
     * default timestamp and both write the very same line (no colours, no other wrapping); else {@code current}.
     */
    static Formatter replacing(Formatter current, String pattern) {
        if (current == null || pattern == null || !pattern.startsWith(DEFAULT_TIMESTAMP)) {
            return current;
        }
        var candidate = new CachedTimestampFormatter(new PatternFormatter(pattern.substring(DEFAULT_TIMESTAMP.length())));
        ExtLogRecord probe = new ExtLogRecord(Level.INFO, "probe %s", ExtLogRecord.FormatStyle.PRINTF,
                CachedTimestampFormatter.class.getName());
        probe.setParameters(new Object[] { "line" });
        probe.setLoggerName(CachedTimestampFormatter.class.getName());
        return candidate.format(probe).equals(current.format(probe)) ? candidate : current;
    }

    @Override
    public String format(ExtLogRecord record) {
        long millis = record.getMillis();
        long epochSecond = Math.floorDiv(millis, 1000);
        Second second = cached;
        if (second.epochSecond != epochSecond) {
            second = new Second(epochSecond, TO_THE_SECOND.format(Instant.ofEpochSecond(epochSecond).atZone(zone)));
            cached = second;
        }
        int milli = (int) Math.floorMod(millis, 1000);
        StringBuilder line = new StringBuilder(192).append(second.text);
        if (milli < 100) {
            line.append('0');
        }
        if (milli < 10) {
            line.append('0');
        }
        return line.append(milli).append(rest.format(record)).toString();
    }

    @Override
    public boolean isCallerCalculationRequired() {
        return rest.isCallerCalculationRequired();
    }

    private record Second(long epochSecond, String text) {
    }
}
