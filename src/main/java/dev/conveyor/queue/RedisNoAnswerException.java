package dev.conveyor.queue;

/**
 * A call was sent but Redis did not answer it in time, or its connection ended before the answer: unlike a refusal,
 * the call may have run, or may still run (a paused or slow Redis executes it later).
 */
public class RedisNoAnswerException extends RedisUnavailableException {

    public RedisNoAnswerException(String message, Throwable cause) {
        super(message, cause);
    }
}
