package dev.conveyor.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.conveyor.job.Job;
import dev.conveyor.job.JobLogLine;
import dev.conveyor.role.ApiRole;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Counts and logs jobs the API created ({@code conveyor_jobs_enqueued_total{queue,type}}). */
@Singleton
@ApiRole
public class EnqueueMetrics {

    private static final Logger LOG = Logger.getLogger(EnqueueMetrics.class);

    private final MeterRegistry registry;
    /** Per queue, per type: looking a counter up in the registry for every job is costly. */
    private final Map<String, Map<String, Counter>> counters = new ConcurrentHashMap<>();

    EnqueueMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void created(Job job) {
        counters.computeIfAbsent(job.queue(), queue -> new ConcurrentHashMap<>())
                .computeIfAbsent(job.type(), type -> Counter.builder("conveyor.jobs.enqueued")
                        .description("Jobs created through the API").tag("queue", job.queue()).tag("type", type)
                        .register(registry))
                .increment();
        LOG.info(JobLogLine.enqueued(job.id(), job.type(), job.status().wireName()));
    }
}
