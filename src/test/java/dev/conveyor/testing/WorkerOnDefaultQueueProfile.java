package dev.conveyor.testing;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The worker serves only the {@code default} queue, so a test can drive the store by hand on any other queue
 * (claim, complete, reap...) without the worker taking its jobs.
 */
public class WorkerOnDefaultQueueProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("conveyor.worker.queues", "default");
    }
}
