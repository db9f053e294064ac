package dev.conveyor.queue;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The worker serves only the {@code default} queue, so tests can drive other queues through {@link JobStore} by hand
 * (enqueue, claim, complete, fail) without the worker taking their jobs.
 */
public class StoreOnlyProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("conveyor.worker.queues", "default");
    }
}
