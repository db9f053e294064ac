package dev.conveyor.handler;

import java.time.Duration;
import java.time.Instant;

import io.smallrye.mutiny.Uni;

/**
 * What a handler may want to know about the job it runs, where it reports progress and attaches its artifact. At
 * {@code deadline} the attempt times out and its {@code Uni} is cancelled; handlers that hold outside resources (a
 * connection, a request) should not outlive it.
 */
public record JobContext(String jobId, String queue, int attempt, int maxAttempts, Instant deadline,
        ProgressReporter progressReporter, ArtifactSink artifactSink) {

    /** Largest progress details, in bytes of JSON. */
    public static final int MAX_PROGRESS_DETAILS = 4096;

    /** A context whose progress reports go nowhere and that stores no artifact. */
    public JobContext(String jobId, String queue, int attempt, int maxAttempts, Instant deadline) {
        this(jobId, queue, attempt, maxAttempts, deadline, ProgressReporter.IGNORE);
    }

    /** A context that stores no artifact. */
    public JobContext(String jobId, String queue, int attempt, int maxAttempts, Instant deadline,
            ProgressReporter progressReporter) {
        this(jobId, queue, attempt, maxAttempts, deadline, progressReporter, ArtifactSink.NONE);
    }

    /**
     * Stores one file with the job, replacing an earlier one: it lives as long as the job and is served by
     * {@code GET /jobs/{id}/artifact}; put the answer in the result so that clients see its name, size and type. Fails
     * permanently when the file is over {@code conveyor.artifacts.max-size}; fails (retryably) when Redis cannot be
     * reached or the job's lease was lost.
     */
    public Uni<ArtifactInfo> attach(Artifact artifact) {
        return artifactSink.attach(this, artifact);
    }

    /** Time left before the deadline, never negative. */
    public Duration remaining() {
        Duration left = Duration.between(Instant.now(), deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /**
     * Reports how far the job got, 0 to 100. Never blocks and never fails the job: reports are coalesced, the latest
     * one stored on the job a few times per second at most, and a Redis error while storing is only logged. Each
     * report replaces the previous one.
     *
     * @throws IllegalArgumentException when {@code percent} is not between 0 and 100
     */
    public void progress(int percent) {
        progressReporter.report(checked(percent), null);
    }

    /**
     * Reports how far the job got with details: a Map or a record, serialized with Jackson to a JSON object of at most
     * {@value #MAX_PROGRESS_DETAILS} bytes. As {@link #progress(int)} otherwise.
     *
     * @throws IllegalArgumentException when {@code percent} is out of range, or the details are not a JSON object or
     *         are too large
     */
    public void progress(int percent, Object details) {
        progressReporter.report(checked(percent), required(details));
    }

    /** Reports details without a percentage; as {@link #progress(int, Object)} otherwise. */
    public void progress(Object details) {
        progressReporter.report(null, required(details));
    }

    private static Integer checked(int percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("progress must be between 0 and 100 percent, not " + percent);
        }
        return percent;
    }

    private static Object required(Object details) {
        if (details == null) {
            throw new IllegalArgumentException("progress details must not be null");
        }
        return details;
    }
}
