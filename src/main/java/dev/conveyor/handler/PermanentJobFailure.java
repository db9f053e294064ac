package dev.conveyor.handler;

/** A failure that retrying cannot fix (bad input, 4xx answer...): the job fails at once, whatever attempts remain. */
public class PermanentJobFailure extends RuntimeException {

    public PermanentJobFailure(String message) {
        super(message);
    }

    public PermanentJobFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
