package dev.conveyor.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.Level;

import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.formatters.ColorPatternFormatter;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.jboss.logmanager.formatters.TextBannerFormatter;
import org.junit.jupiter.api.Test;

class CachedTimestampFormatterTest {

    /** Quarkus' default console format. */
    private static final String QUARKUS_DEFAULT = "%d{yyyy-MM-dd HH:mm:ss,SSS} %-5p [%c{3.}] (%t) %s%e%n";

    @Test
    void writesTheSameLinesAsThePatternItReplaces() {
        PatternFormatter original = new PatternFormatter(QUARKUS_DEFAULT);
        Formatter cached = CachedTimestampFormatter.replacing(original, QUARKUS_DEFAULT);
        assertThat(cached).isInstanceOf(CachedTimestampFormatter.class);

        long base = Instant.parse("2026-11-24T03:59:59.000Z").toEpochMilli();
        // milliseconds of one, two and three digits, the same second twice, then the next second and minute
        for (long offset : new long[] { 7, 42, 999, 5, 1000, 1003, 61_250 }) {
            ExtLogRecord record = record(base + offset, offset == 42 ? new IllegalStateException("boom") : null);
            assertThat(cached.format(record)).isEqualTo(original.format(record));
        }
    }

    @Test
    void replacesTheDefaultFormatBehindQuarkusBannerFormatter() {
        var banner = new TextBannerFormatter(TextBannerFormatter.getEmptySupplier(), new PatternFormatter(QUARKUS_DEFAULT));

        assertThat(CachedTimestampFormatter.replacing(banner, QUARKUS_DEFAULT)).isInstanceOf(CachedTimestampFormatter.class);
    }

    @Test
    void leavesOtherFormatsAndColoursAlone() {
        String custom = "%d{HH:mm:ss} %s%n";
        PatternFormatter plain = new PatternFormatter(custom);
        var colour = new TextBannerFormatter(TextBannerFormatter.getEmptySupplier(),
                new ColorPatternFormatter(QUARKUS_DEFAULT));

        assertThat(CachedTimestampFormatter.replacing(plain, custom)).isSameAs(plain);
        assertThat(CachedTimestampFormatter.replacing(colour, QUARKUS_DEFAULT)).isSameAs(colour);
        assertThat(CachedTimestampFormatter.replacing(null, QUARKUS_DEFAULT)).isNull();
    }

    private static ExtLogRecord record(long millis, Throwable thrown) {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, "job %s outcome=%s", ExtLogRecord.FormatStyle.PRINTF,
                "dev.conveyor.worker.JobRunner");
        record.setParameters(new Object[] { "default.01ARZ3NDEKTSV4RRFFQ69G5FAV", "succeeded" });
        record.setLoggerName("dev.conveyor.worker.JobRunner");
        record.setInstant(Instant.ofEpochMilli(millis));
        record.setThrown(thrown);
        return record;
    }
}
