package dev.conveyor.worker;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.conveyor.queue.JobStore;
import dev.conveyor.queue.Recovered;
import io.quarkus.arc.properties.UnlessBuildProperty;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * Every worker periodically recovers jobs whose lease expired (their worker crashed or froze) in the queues it
 * serves. Many reapers at once are safe: each recovery is one atomic script.
 */
@ApplicationScoped
@UnlessBuildProperty(name = "conveyor.role", stringValue = "api", enableIfMissing = true)
class Reaper {

    private static final Logger LOG = Logger.getLogger(Reaper.class);

    private final JobStore store;
    private final WorkerQueues queues;
    private final WorkerConfig config;
    private final Vertx vertx;
    private Periodic timer;

    Reaper(JobStore store, WorkerQueues queues, WorkerConfig config, Vertx vertx) {
        this.store = store;
        this.queues = queues;
        this.config = config;
        this.vertx = vertx;
    }

    void start() {
        timer = Periodic.every(vertx, config.reapInterval(), "reaper", this::reapAll);
    }

    void stop() {
        if (timer != null) {
            timer.cancel();
        }
    }

    Uni<Void> reapAll() {
        return queues.current().chain(current -> Multi.createFrom().iterable(current.names())
                .onItem().transformToUniAndConcatenate(queue -> store.reap(queue).invoke(this::report))
                .collect().last().replaceWithVoid());
    }

    private void report(Recovered recovered) {
        recovered.requeued().forEach(id -> LOG.infof("job %s outcome=recovered status=queued (lease expired)", id));
        recovered.failed().forEach(id -> LOG.infof("job %s outcome=recovered status=failed (lease expired, no "
                + "attempts left)", id));
        recovered.cancelled().forEach(id -> LOG.infof("job %s outcome=recovered status=cancelled", id));
    }
}
