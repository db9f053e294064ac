package dev.conveyor.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.jboss.logging.Logger;

/** One packaged Conveyor process (api, worker or all) started by {@link Processes}, with its ports and log. */
final class AppProcess {

    private static final Logger LOG = Logger.getLogger(AppProcess.class);

    enum Role {
        API("target/api/quarkus-app/quarkus-run.jar"),
        WORKER("target/worker/quarkus-app/quarkus-run.jar"),
        ALL("target/quarkus-app/quarkus-run.jar");

        final String jar;

        Role(String jar) {
            this.jar = jar;
        }
    }

    private final String name;
    private final Role role;
    private final Process process;
    private final int httpPort;
    private final int managementPort;
    private final Path log;

    AppProcess(String name, Role role, Process process, int httpPort, int managementPort, Path log) {
        this.name = name;
        this.role = role;
        this.process = process;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        this.log = log;
    }

    String name() {
        return name;
    }

    Role role() {
        return role;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The REST API (HTTP port) address of a path such as {@code /jobs}. */
    URI api(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    /** The management interface (health, metrics) address of a path such as {@code /q/health/ready}. */
    URI management(String path) {
        return URI.create("http://127.0.0.1:" + managementPort + path);
    }

    /** HTTP status of /q/health/ready (200 UP, 503 DOWN), or -1 when it does not answer within 3 s. */
    int readiness() {
        return healthStatus("/q/health/ready");
    }

    int healthStatus(String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(management(path)).timeout(Duration.ofSeconds(3)).GET().build();
            return Processes.HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Waits until /q/health/ready answers 200; fails early if the process dies. */
    AppProcess awaitReady(Duration max) {
        Awaitility.await(name + " ready").atMost(max).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before being ready;"
                        + " see " + log);
            }
            return readiness() == 200;
        });
        return this;
    }

    /** SIGTERM: a graceful shutdown. */
    void sigterm() {
        process.destroy();
    }

    /** SIGKILL, and waits until the process is gone. */
    void sigkill() {
        process.destroyForcibly();
        if (!awaitExit(Duration.ofSeconds(10))) {
            throw new IllegalStateException(name + " survived SIGKILL");
        }
    }

    /** SIGSTOP: the process is frozen (sockets stay open, nothing runs) until {@link #thaw()}. */
    void freeze() {
        signal("STOP");
    }

    void thaw() {
        signal("CONT");
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid() + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kill -" + signal, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    boolean awaitExit(Duration max) {
        try {
            return process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    int exitValue() {
        return process.exitValue();
    }

    /** Stops the process whatever its state: SIGCONT (in case it is frozen), SIGTERM, then SIGKILL after 15 s. */
    void stop() {
        if (!process.isAlive()) {
            return;
        }
        try {
            thaw();
        } catch (IllegalStateException ignored) {
            // it may have exited meanwhile
        }
        process.destroy();
        if (!awaitExit(Duration.ofSeconds(15))) {
            LOG.warnf("%s ignored SIGTERM for 15 s; killing it", name);
            process.destroyForcibly();
            awaitExit(Duration.ofSeconds(10));
        }
    }

    @Override
    public String toString() {
        return name + "(pid " + pid() + ")";
    }
}
