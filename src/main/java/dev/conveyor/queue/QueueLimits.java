package dev.conveyor.queue;

import java.time.Duration;
import java.util.Locale;

/**
 * A queue's limits across all workers: a rate (jobs started per second, minute or hour, with a burst) and a
 * concurrency (jobs running at once); either may be null, not both. Enforced by the claim script.
 */
public record QueueLimits(Rate rate, Integer concurrency) {

    public static final int MAX_COUNT = 1_000_000;
    public static final int MAX_CONCURRENCY = 10_000;

    public QueueLimits {
        if (rate == null && concurrency == null) {
            throw new IllegalArgumentException("no limit");
        }
        if (concurrency != null && (concurrency < 1 || concurrency > MAX_CONCURRENCY)) {
            throw new IllegalArgumentException("concurrency " + concurrency);
        }
    }

    public enum Unit {
        SECOND("s", Duration.ofSeconds(1)), MINUTE("m", Duration.ofMinutes(1)), HOUR("h", Duration.ofHours(1));

        final String symbol;
        final Duration period;

        Unit(String symbol, Duration period) {
            this.symbol = symbol;
            this.period = period;
        }

        /** The unit of a stored period (ms), or null. */
        static Unit ofPeriod(long millis) {
            for (Unit unit : values()) {
                if (unit.period.toMillis() == millis) {
                    return unit;
                }
            }
            return null;
        }

        /** The unit of a symbol ({@code s}, {@code m}, {@code h}), or null. */
        public static Unit of(String symbol) {
            for (Unit unit : values()) {
                if (unit.symbol.equals(symbol.toLowerCase(Locale.ROOT))) {
                    return unit;
                }
            }
            return null;
        }
    }

    /** {@code count} jobs per {@code unit}, of which up to {@code burst} may start at once after a quiet time. */
    public record Rate(int count, Unit unit, int burst) {

        public Rate {
            if (count < 1 || count > MAX_COUNT || burst < 1 || burst > count) {
                throw new IllegalArgumentException("rate " + count + "/" + unit.symbol + " burst " + burst);
            }
        }

        /**
         * The default burst: a tenth of a second's worth, at least 1 (5 for 50/s, 1 for 100/m). A larger burst lets
         * more through at once after a quiet time; a burst of the whole count lets twice the count through in the
         * first period.
         */
        public static int defaultBurst(int count, Unit unit) {
            long perTenthSecond = (long) Math.ceil(count * 100.0 / unit.period.toMillis());
            return (int) Math.max(1, Math.min(count, perTenthSecond));
        }

        /** As written in the API: {@code 100/s}. */
        public String text() {
            return count + "/" + unit.symbol;
        }

        public Duration period() {
            return unit.period;
        }
    }
}
