package dev.conveyor.queue;

import java.util.List;

import jakarta.inject.Singleton;

/** Every Lua script of the store, assembled once (includes inserted). */
@Singleton
class Scripts {

    final LuaScript enqueue = LuaScript.load("enqueue");
    final LuaScript completeAndClaim = LuaScript.load("complete-and-claim");
    final LuaScript fail = LuaScript.load("fail");
    final LuaScript extend = LuaScript.load("extend");
    final LuaScript reap = LuaScript.load("reap");
    final LuaScript cancel = LuaScript.load("cancel");
    final LuaScript rerun = LuaScript.load("rerun");
    final LuaScript release = LuaScript.load("release");
    final LuaScript list = LuaScript.load("list");
    final LuaScript registerQueues = LuaScript.load("register-queues");
    final LuaScript deleteQueue = LuaScript.load("delete-queue");
    final LuaScript rateLimit = LuaScript.load("rate-limit");
    final LuaScript nodeMemory = LuaScript.load("node-memory");
    final LuaScript listen = LuaScript.load("listen");
    final LuaScript snapshot = LuaScript.load("snapshot");
    final LuaScript progress = LuaScript.load("progress");
    final LuaScript artifact = LuaScript.load("artifact");
    final LuaScript workerHeartbeat = LuaScript.load("worker-heartbeat");
    final LuaScript workers = LuaScript.load("workers");
    final LuaScript throughput = LuaScript.load("throughput");
    final LuaScript retryFailed = LuaScript.load("retry-failed");
    final LuaScript deleteJobs = LuaScript.load("delete-jobs");
    final LuaScript drain = LuaScript.load("drain");
    final LuaScript setLimits = LuaScript.load("set-limits");
    final LuaScript scheduleSave = LuaScript.load("schedule-save");
    final LuaScript schedulePause = LuaScript.load("schedule-pause");
    final LuaScript scheduleDelete = LuaScript.load("schedule-delete");
    final LuaScript schedulesDue = LuaScript.load("schedules-due");
    final LuaScript scheduleAdvance = LuaScript.load("schedule-advance");
    final LuaScript schedulesRead = LuaScript.load("schedules-read");

    List<LuaScript> all() {
        return List.of(enqueue, completeAndClaim, fail, extend, reap, cancel, rerun, release, list, registerQueues,
                deleteQueue, rateLimit, nodeMemory, listen, snapshot, progress, artifact,
                workerHeartbeat, workers, throughput, retryFailed, deleteJobs, drain, setLimits, scheduleSave,
                schedulePause, scheduleDelete, schedulesDue, scheduleAdvance, schedulesRead);
    }
}
