package dev.conveyor.worker;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

import dev.conveyor.handler.ProgressReporter;
import dev.conveyor.queue.ProgressStore;
import dev.conveyor.queue.ProgressUpdate;
import dev.conveyor.role.WorkerRole;
import io.smallrye.mutiny.Uni;

/**
 * Progress reports of the running jobs, coalesced: only the latest report of each job is kept, and the waiting ones
 * are stored together at most every {@code conveyor.worker.progress-interval}, one script call per queue. When a job
 * ends, its last report is stored before its outcome is recorded ({@link #settle}); a report stored later would be
 * refused by its lease token anyway. A job that never reports costs nothing here: no timer runs while nothing waits.
 */
@Singleton
@WorkerRole
class ProgressReports {

    private static final Logger LOG = Logger.getLogger(ProgressReports.class);
    private static final Uni<Void> DONE = Uni.createFrom().voidItem();

    private final ProgressStore store;
    private final WorkerConfig config;
    private final ObjectWriter writer;
    /** The latest report of each job not stored yet. */
    private final Map<RunningJob, String> latest = new ConcurrentHashMap<>();
    /** A store is due (its timer runs) or running. */
    private final AtomicBoolean due = new AtomicBoolean();
    /** The store running now, or the last one; guarded by this. */
    private Uni<Void> storing = DONE;

    ProgressReports(ProgressStore store, WorkerConfig config, ObjectMapper mapper) {
        this.store = store;
        this.config = config;
        this.writer = mapper.writer();
    }

    /**
     * Where the handler of this job reports: checks and serializes each report at the call, then keeps it. Its time is
     * in whole milliseconds, as the API's other instants.
     */
    ProgressReporter reporterFor(RunningJob run) {
        return (percent, details) -> keep(run, ProgressJson.of(percent, details, writer,
                Instant.ofEpochMilli(System.currentTimeMillis())));
    }

    private void keep(RunningJob run, String json) {
        run.progressReported();
        latest.put(run, json);
        if (due.compareAndSet(false, true)) {
            storeLater();
        }
    }

    /** Stores the waiting reports after an interval, and again an interval later if more came meanwhile. */
    private void storeLater() {
        Uni.createFrom().voidItem().onItem().delayIt().by(config.progressInterval())
                .chain(this::storeWaiting)
                .subscribe().with(ignored -> stored(), failure -> stored());
    }

    private void stored() {
        due.set(false);
        if (!latest.isEmpty() && due.compareAndSet(false, true)) {
            storeLater();
        }
    }

    private Uni<Void> storeWaiting() {
        synchronized (this) {
            List<ProgressUpdate> updates = new ArrayList<>();
            for (RunningJob run : latest.keySet()) {
                String json = latest.remove(run);
                if (json != null) {
                    updates.add(new ProgressUpdate(run.job(), json));
                }
            }
            storing = updates.isEmpty() ? DONE : write(updates).memoize().indefinitely();
            return storing;
        }
    }

    /**
     * The job ended: stores its last report if one waits, after the store in flight (which may hold an earlier
     * report of it). Call before recording its outcome, for a job that {@link RunningJob#reportedProgress()}; never
     * fails. A report that comes later still is stored with the others, and refused by the job's lease token.
     */
    Uni<Void> settle(RunningJob run) {
        String last;
        Uni<Void> before;
        synchronized (this) {
            last = latest.remove(run);
            before = storing;
        }
        return last == null ? before : before.chain(() -> write(List.of(new ProgressUpdate(run.job(), last))));
    }

    private Uni<Void> write(List<ProgressUpdate> updates) {
        return store.store(updates)
                .onFailure().invoke(failure -> LOG.warnf("progress of %d jobs not stored: %s", updates.size(),
                        failure.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
