package dev.conveyor.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.vertx.redis.client.impl.types.ErrorType;

/** Which failures are Redis' own error replies (a 500) and which mean "unavailable, try later" (a 503). */
class RedisCallsTest {

    @Test
    void errorRepliesOfRedisItself() {
        assertErrorReplies("WRONGTYPE Operation against a key holding the wrong kind",
                "ERR Error running script (call to f_1): @user_script:3",
                "NOSCRIPT No matching script. Please use EVAL.",
                "ERR [0] NOSCRIPT No matching script. Please use EVAL.",
                "ERR [0] Error running script (call to f_1): x");
        assertThat(RedisCalls.isNoScript(ErrorType.create("ERR [1] NOSCRIPT No matching script. Please use EVAL.")))
                .isTrue();
    }

    @Test
    void connectionProblemsTheClientReportsAsErrorReplies() {
        assertNotErrorReplies("CONNECTION_CLOSED",
                "ERR [0] io.netty.channel.StacklessClosedChannelException",
                "ERR [2] io.vertx.core.VertxException: Connection is closed",
                "ERR [0] NOSCRIPT No matching script\nERR [1] CONNECTION_CLOSED",
                "ERR [3] io.vertx.core.impl.NoStackTraceThrowable: Connection is closed",
                "ERR [1] java.net.SocketException: Connection reset");
        assertThat(RedisCalls.isErrorReply(new ConnectException("Connection refused"))).isFalse();
    }

    /** The client's message of a batch that failed as its connection ended, as OutageIT saw it (parts interleaved). */
    @Test
    void garbledBatchFailures() {
        assertNotErrorReplies("ERR [ERR [1] CONNECTION_CLOSED] CONNECTION_CLOSED",
                "ERR [0ERR [1] io.netty.channel.StacklessClosedChannelException] "
                        + "io.netty.channel.StacklessClosedChannelException",
                "ERR [0] NOSCRIPT No matching scriptERR [1] CONNECTION_CLOSED");
    }

    @Test
    void redisThatCannotServeNow() {
        assertNotErrorReplies("LOADING Redis is loading the dataset in memory",
                "ERR [0] LOADING Redis is loading the dataset in memory",
                "BUSY Redis is busy running a script.",
                "READONLY You can't write against a read only replica.",
                "MOVED 3999 127.0.0.1:6381", "ASK 3999 127.0.0.1:6381", "CLUSTERDOWN The cluster is down",
                "OOM command not allowed when used memory > 'maxmemory'.",
                "ERR [1] OOM command not allowed when used memory > 'maxmemory'.",
                "ERR [0] MOVED 2996 127.0.0.1:35063",
                "ERR [1] WAIT cannot be used with replica instances. Please also note that since Redis 4.0 ...",
                "ERR Error running script (call to f_1): @user_script:3: @user_script: 3: -OOM command not allowed "
                        + "when used memory > 'maxmemory'.");
        assertThat(RedisCalls.isErrorReply(ErrorType.create("BUSYKEY Target key name already exists."))).isTrue();
    }

    /** A connection that ended under a call sent may have run it; one refused before anything was sent cannot. */
    @Test
    void connectionsThatEndedUnderACallSent() {
        for (String message : List.of("CONNECTION_CLOSED", "ERR [0] io.netty.channel.StacklessClosedChannelException",
                "ERR [2] io.vertx.core.VertxException: Connection is closed",
                "ERR [1] java.net.SocketException: Connection reset")) {
            assertThat(RedisCalls.closedUnderCall(ErrorType.create(message))).as(message).isTrue();
        }
        assertThat(RedisCalls.closedUnderCall(new ClosedChannelException())).isTrue();
        assertThat(RedisCalls.closedUnderCall(new ConnectException("Connection refused"))).isFalse();
        assertThat(RedisCalls.closedUnderCall(ErrorType.create("OOM command not allowed"))).isFalse();
    }

    private static void assertErrorReplies(String... messages) {
        for (String message : messages) {
            assertThat(RedisCalls.isErrorReply(ErrorType.create(message))).as(message).isTrue();
        }
    }

    private static void assertNotErrorReplies(String... messages) {
        for (String message : messages) {
            assertThat(RedisCalls.isErrorReply(ErrorType.create(message))).as(message).isFalse();
        }
    }
}
