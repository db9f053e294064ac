package dev.conveyor.worker;

import java.time.Duration;

/** A job ran past its timeout; its {@code Uni} was cancelled. Retryable like any other failure. */
class JobTimeoutException extends RuntimeException {

    JobTimeoutException(Duration timeout) {
        super("timed out after " + timeout);
    }
}
