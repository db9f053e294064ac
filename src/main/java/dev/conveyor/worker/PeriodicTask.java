package dev.conveyor.worker;

import java.time.Duration;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.scheduler.Scheduler;
import io.smallrye.mutiny.Uni;

/** Runs a task every interval on quarkus-scheduler; a tick while the previous run is still going is skipped. */
final class PeriodicTask {

    private static final Logger LOG = Logger.getLogger(PeriodicTask.class);

    private PeriodicTask() {
    }

    /** A failed run is logged; the next tick runs again. */
    static void schedule(Scheduler scheduler, String name, Duration interval, Supplier<Uni<Void>> task) {
        scheduler.newJob(name)
                .setInterval(interval.toString())
                .setConcurrentExecution(ConcurrentExecution.SKIP)
                .setAsyncTask(execution -> task.get()
                        .onFailure().invoke(failure -> LOG.warnf("%s failed: %s", name, failure.getMessage()))
                        .onFailure().recoverWithNull())
                .schedule();
    }
}
