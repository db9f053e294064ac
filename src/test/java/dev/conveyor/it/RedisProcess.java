package dev.conveyor.it;

import java.io.IOException;
import java.nio.file.Path;

import dev.conveyor.devservices.LocalRedis;

/** A redis-server that a test can stop (SIGTERM or SIGKILL) and start again on the same port and directory. */
final class RedisProcess {

    private final int port;
    private final Path dir;
    /** The last server started: a stopped one still knows how to start again. */
    private LocalRedis last;
    private LocalRedis current;

    RedisProcess(LocalRedis started, Path dir) {
        this.last = started;
        this.current = started;
        this.port = started.port();
        this.dir = dir;
    }

    int port() {
        return port;
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    Path dir() {
        return dir;
    }

    synchronized boolean isRunning() {
        return current != null;
    }

    synchronized long pid() {
        return current.pid();
    }

    /** SIGTERM, and waits until it exited (Redis writes its AOF/RDB on the way out). */
    synchronized void sigterm() {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    /** SIGKILL: nothing is saved beyond what was already written. */
    synchronized void sigkill() {
        if (current != null) {
            current.kill();
            current = null;
        }
    }

    /** Starts it again, same port, directory and arguments; waits until it answers PING. */
    synchronized void restart() throws IOException {
        if (current != null) {
            throw new IllegalStateException("redis-server is still running");
        }
        current = last.restart();
        last = current;
    }

    RedisClient connect() {
        return RedisClient.connect(port);
    }

    synchronized void stop() {
        sigterm();
    }
}
