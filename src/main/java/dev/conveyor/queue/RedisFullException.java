package dev.conveyor.queue;

/** Redis is (nearly) full: new jobs wait until memory frees up, so that running jobs keep room for their outcomes. */
public class RedisFullException extends RedisUnavailableException {

    public RedisFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
