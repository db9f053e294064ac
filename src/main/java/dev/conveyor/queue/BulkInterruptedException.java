package dev.conveyor.queue;

/**
 * Redis failed in the middle of a bulk action: each chunk is atomic, so the queue is consistent, and {@code done} jobs
 * were handled (at least: the chunk that got no answer may have run too).
 */
public class BulkInterruptedException extends RedisUnavailableException {

    private final long done;

    BulkInterruptedException(long done, Throwable cause) {
        super("interrupted after " + done + " jobs: " + cause.getMessage(), cause);
        this.done = done;
    }

    public long done() {
        return done;
    }
}
