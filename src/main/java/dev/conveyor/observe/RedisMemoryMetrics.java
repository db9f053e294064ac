package dev.conveyor.observe;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.conveyor.queue.MemoryGuard;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.quarkus.runtime.StartupEvent;

/**
 * {@code conveyor_redis_memory_used_bytes} and {@code conveyor_redis_memory_budget_bytes}: Redis' whole
 * {@code used_memory} and the most of it Conveyor may use, from the reading {@link MemoryGuard} takes once a second
 * for its enqueue limit (the first scrape starts it where no enqueue has). NaN before the first reading, and the
 * budget NaN while there is none. Every pod reports the same Redis: aggregate with max(), not sum().
 */
@ApplicationScoped
public class RedisMemoryMetrics {

    void register(@Observes StartupEvent event, MemoryGuard memory, MeterRegistry registry) {
        Gauge.builder("conveyor.redis.memory.used", memory, MemoryGuard::usedBytes).baseUnit(BaseUnits.BYTES)
                .description("Redis' used_memory, all of its data counted").register(registry);
        Gauge.builder("conveyor.redis.memory.budget", memory, MemoryGuard::budgetBytes).baseUnit(BaseUnits.BYTES)
                .description("The most of Redis' memory Conveyor may use: conveyor.queue.memory-budget or maxmemory")
                .register(registry);
    }
}
