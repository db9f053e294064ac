package dev.conveyor.api;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.conveyor.job.Job;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.properties.UnlessBuildProperty;

/** Counts and logs jobs the API created ({@code conveyor_jobs_enqueued_total{queue,type}}). */
@ApplicationScoped
@UnlessBuildProperty(name = "conveyor.role", stringValue = "worker", enableIfMissing = true)
public class EnqueueMetrics {

    private static final Logger LOG = Logger.getLogger(EnqueueMetrics.class);

    private final MeterRegistry registry;

    EnqueueMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void created(Job job) {
        Counter.builder("conveyor.jobs.enqueued").description("Jobs created through the API")
                .tag("queue", job.queue()).tag("type", job.type())
                .register(registry).increment();
        LOG.infof("job %s type=%s queue=%s outcome=%s", job.id(), job.type(), job.queue(), job.status().wireName());
    }
}
