package dev.conveyor.queue;

/** Redis did not answer (refused, reset, or too slow): the caller may retry later; nothing was lost. */
public class RedisUnavailableException extends RuntimeException {

    public RedisUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
