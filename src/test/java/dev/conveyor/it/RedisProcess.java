package dev.conveyor.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.conveyor.devservices.LocalRedis;

/**
 * A redis-server that a test can stop (SIGTERM or SIGKILL) and start again on the same port and directory; it may
 * demand a password and serve TLS on a port of its own (the plain port then only tells the test that it started).
 */
final class RedisProcess implements TestRedis {

    /** The named TLS configuration (quarkus.tls.redis.*) the application's Redis clients use for rediss://. */
    static final String TLS_CONFIGURATION = "redis";

    private final int port;
    private final Path dir;
    private final String password;
    private final int tlsPort;
    private final TestCertificate certificate;
    /** The last server started: a stopped one still knows how to start again. */
    private LocalRedis last;
    private LocalRedis current;

    RedisProcess(LocalRedis started, Path dir) {
        this(started, dir, null, 0, null);
    }

    /** {@code password} null: none; {@code tlsPort} 0: no TLS. */
    RedisProcess(LocalRedis started, Path dir, String password, int tlsPort, TestCertificate certificate) {
        this.last = started;
        this.current = started;
        this.port = started.port();
        this.dir = dir;
        this.password = password;
        this.tlsPort = tlsPort;
        this.certificate = certificate;
    }

    int port() {
        return port;
    }

    /** Where the application connects: the TLS port when there is one. */
    String url() {
        return tlsPort == 0 ? "redis://127.0.0.1:" + port : "rediss://127.0.0.1:" + tlsPort;
    }

    /**
     * The application's settings for this server, as an operator gives them: the address, the password on its own
     * (never in the URL) and, with TLS, the trust store. Only the shared client's keys: the blocking client follows.
     */
    @Override
    public Map<String, String> appEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_REDIS_HOSTS", url());
        env.put("QUARKUS_REDIS_BLOCKING_HOSTS", url());
        if (password != null) {
            env.put("QUARKUS_REDIS_PASSWORD", password);
        }
        if (tlsPort != 0) {
            env.put("QUARKUS_REDIS_TLS_CONFIGURATION_NAME", TLS_CONFIGURATION);
            env.put("QUARKUS_TLS_" + TLS_CONFIGURATION.toUpperCase() + "_TRUST_STORE_PEM_CERTS",
                    certificate.certificate().toString());
        }
        return env;
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
    @Override
    public synchronized void sigterm() {
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
    @Override
    public synchronized void restart() throws IOException {
        if (current != null) {
            throw new IllegalStateException("redis-server is still running");
        }
        current = last.restart();
        last = current;
    }

    /** A client of the plain port, authenticated when the server demands a password. */
    @Override
    public RedisClient connect() {
        return RedisClient.connect(port, password);
    }

    synchronized void stop() {
        sigterm();
    }
}
