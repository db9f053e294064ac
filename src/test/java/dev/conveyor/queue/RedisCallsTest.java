package dev.conveyor.queue;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.vertx.redis.client.impl.types.ErrorType;

/** Which failures are Redis' own error replies (a 500) and which mean "unavailable, try later" (a 503). */
class RedisCallsTest {

    @Test
    void errorRepliesOfRedisItself() {
        assertTrue(RedisCalls.isErrorReply(ErrorType.create("WRONGTYPE Operation against a key holding the wrong kind")));
        assertTrue(RedisCalls.isErrorReply(ErrorType.create("ERR Error running script (call to f_1): @user_script:3")));
        assertTrue(RedisCalls.isErrorReply(ErrorType.create("NOSCRIPT No matching script. Please use EVAL.")));
        assertTrue(RedisCalls.isErrorReply(ErrorType.create("ERR [0] NOSCRIPT No matching script. Please use EVAL.")));
        assertTrue(RedisCalls.isNoScript(ErrorType.create("ERR [1] NOSCRIPT No matching script. Please use EVAL.")));
        assertTrue(RedisCalls.isErrorReply(ErrorType.create("ERR [0] Error running script (call to f_1): x")));
    }

    @Test
    void connectionProblemsTheClientReportsAsErrorReplies() {
        assertFalse(RedisCalls.isErrorReply(ErrorType.create("CONNECTION_CLOSED")));
        assertFalse(RedisCalls.isErrorReply(ErrorType.create("ERR [0] io.netty.channel.StacklessClosedChannelException")));
        assertFalse(RedisCalls.isErrorReply(ErrorType.create("ERR [2] io.vertx.core.VertxException: Connection is closed")));
        assertFalse(RedisCalls.isErrorReply(ErrorType.create("ERR [0] NOSCRIPT No matching script\nERR [1] CONNECTION_CLOSED")));
        assertFalse(RedisCalls.isErrorReply(ErrorType.create("ERR [3] io.vertx.core.impl.NoStackTraceThrowable: "
                + "Connection is closed")));
        assertFalse(RedisCalls.isErrorReply(ErrorType.create("ERR [1] java.net.SocketException: Connection reset")));
        assertFalse(RedisCalls.isErrorReply(new java.net.ConnectException("Connection refused")));
    }

    /** The client's message of a batch that failed as its connection ended, as OutageIT saw it (parts interleaved). */
    @Test
    void garbledBatchFailures() {
        assertFalse(RedisCalls.isErrorReply(ErrorType.create("ERR [ERR [1] CONNECTION_CLOSED] CONNECTION_CLOSED")));
        assertFalse(RedisCalls.isErrorReply(ErrorType.create(
                "ERR [0ERR [1] io.netty.channel.StacklessClosedChannelException] "
                        + "io.netty.channel.StacklessClosedChannelException")));
        assertFalse(RedisCalls.isErrorReply(ErrorType.create("ERR [0] NOSCRIPT No matching scriptERR [1] CONNECTION_CLOSED")));
    }

    @Test
    void redisThatCannotServeNow() {
        assertFalse(RedisCalls.isErrorReply(ErrorType.create("LOADING Redis is loading the dataset in memory")));
        assertFalse(RedisCalls.isErrorReply(ErrorType.create("ERR [0] LOADING Redis is loading the dataset in memory")));
        assertFalse(RedisCalls.isErrorReply(ErrorType.create("BUSY Redis is busy running a script.")));
        assertFalse(RedisCalls.isErrorReply(ErrorType.create("READONLY You can't write against a read only replica.")));
        assertTrue(RedisCalls.isErrorReply(ErrorType.create("BUSYKEY Target key name already exists.")));
    }
}
