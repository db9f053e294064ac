package dev.conveyor.handler;

/**
 * Where a {@link JobContext} sends its handler's progress reports. The worker's keeps the latest report of each
 * running job and stores it on the job every so often; {@link #IGNORE} drops them (for handlers run outside a worker).
 */
@FunctionalInterface
public interface ProgressReporter {

    ProgressReporter IGNORE = (percent, details) -> {
    };

    /**
     * Takes a report at once, without waiting for Redis.
     *
     * @param percent 0 to 100, or null when the report has none
     * @param details serialized with Jackson to a small JSON object, or null when the report has none
     * @throws IllegalArgumentException when the details are not a JSON object or too large
     */
    void report(Integer percent, Object details);
}
