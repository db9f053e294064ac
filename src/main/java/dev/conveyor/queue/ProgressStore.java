package dev.conveyor.queue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Singleton;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * Stores running jobs' progress reports on their jobs, and sends each as a job event: one script call per queue, all
 * queues in one round trip. A report of a job whose lease is lost, or that already ended, is not stored.
 */
@Singleton
public class ProgressStore {

    private final RedisCalls redis;
    private final KeySpace keys;
    private final Scripts scripts;

    ProgressStore(RedisCalls redis, KeySpace keys, Scripts scripts) {
        this.redis = redis;
        this.keys = keys;
        this.scripts = scripts;
    }

    /** How many of the reports were stored (the others' leases were lost). */
    public Uni<Integer> store(List<ProgressUpdate> updates) {
        Map<String, List<ProgressUpdate>> byQueue = new LinkedHashMap<>();
        for (ProgressUpdate update : updates) {
            byQueue.computeIfAbsent(update.job().id().queue(), queue -> new ArrayList<>()).add(update);
        }
        if (byQueue.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<List<String>> callKeys = new ArrayList<>();
        List<List<String>> args = new ArrayList<>();
        byQueue.forEach((queue, perQueue) -> {
            QueueKeys k = keys.queue(queue);
            callKeys.add(List.of(k.active(), k.jobPrefix(), k.events(), k.eventsListening()));
            List<String> callArgs = new ArrayList<>(3 * perQueue.size());
            for (ProgressUpdate update : perQueue) {
                callArgs.add(update.job().id().ulid());
                callArgs.add(update.job().token());
                callArgs.add(update.json());
            }
            args.add(callArgs);
        });
        return redis.scriptBatch(scripts.progress, callKeys, args)
                .map(answers -> answers.stream().mapToInt(Response::toInteger).sum());
    }
}
