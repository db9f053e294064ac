package dev.conveyor.handler;

import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Instance;

/** Every {@link JobHandler} bean, by type name. */
@Singleton
public class HandlerRegistry {

    private final SortedMap<String, JobHandler<?, ?>> byType = new TreeMap<>();
    private final SortedMap<String, JobHandler<?, ?>> enqueueable = new TreeMap<>();

    HandlerRegistry(Instance<JobHandler<?, ?>> handlers) {
        for (JobHandler<?, ?> handler : handlers) {
            JobHandler<?, ?> clash = byType.put(handler.type(), handler);
            if (clash != null) {
                throw new IllegalStateException("two handlers for job type " + handler.type() + ": "
                        + clash.getClass().getName() + " and " + handler.getClass().getName());
            }
            if (!handler.internal()) {
                enqueueable.put(handler.type(), handler);
            }
        }
    }

    /** The handler of any type, internal ones included: what a worker runs. */
    public Optional<JobHandler<?, ?>> find(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    /** The handler of a type that clients may enqueue. */
    public Optional<JobHandler<?, ?>> enqueueable(String type) {
        return find(type).filter(handler -> !handler.internal());
    }

    /** Handlers of the types clients may enqueue, sorted by type name. */
    public Map<String, JobHandler<?, ?>> all() {
        return java.util.Collections.unmodifiableSortedMap(enqueueable);
    }
}
