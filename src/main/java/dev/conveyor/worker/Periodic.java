package dev.conveyor.worker;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/** Runs a task every interval on a Vert.x timer; a run still in progress makes the next tick skip. */
final class Periodic {

    private static final Logger LOG = Logger.getLogger(Periodic.class);

    private final Vertx vertx;
    private final long timerId;
    private final AtomicBoolean running = new AtomicBoolean();

    private Periodic(Vertx vertx, Duration interval, String name, Supplier<Uni<?>> task) {
        this.vertx = vertx;
        this.timerId = vertx.setPeriodic(Math.max(1, interval.toMillis()), id -> {
            if (!running.compareAndSet(false, true)) {
                return;
            }
            task.get().subscribe().with(
                    ignored -> running.set(false),
                    failure -> {
                        running.set(false);
                        LOG.warnf("%s failed: %s", name, failure.getMessage());
                    });
        });
    }

    static Periodic every(Vertx vertx, Duration interval, String name, Supplier<Uni<?>> task) {
        return new Periodic(vertx, interval, name, task);
    }

    void cancel() {
        vertx.cancelTimer(timerId);
    }
}
