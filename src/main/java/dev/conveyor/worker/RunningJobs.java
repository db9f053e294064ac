package dev.conveyor.worker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

import dev.conveyor.job.JobId;
import dev.conveyor.role.WorkerRole;

/** The jobs this worker process is running now. */
@Singleton
@WorkerRole
class RunningJobs {

    private final Map<JobId, RunningJob> byId = new ConcurrentHashMap<>();

    void add(RunningJob job) {
        byId.put(job.job().id(), job);
    }

    void remove(RunningJob job) {
        byId.remove(job.job().id(), job);
        synchronized (this) {
            notifyAll();
        }
    }

    RunningJob get(JobId id) {
        return byId.get(id);
    }

    List<RunningJob> all() {
        return List.copyOf(byId.values());
    }

    int size() {
        return byId.size();
    }

    /** Waits (blocking the caller: for shutdown only) until no job runs or the time is up; true when none runs. */
    synchronized boolean awaitEmpty(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!byId.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
