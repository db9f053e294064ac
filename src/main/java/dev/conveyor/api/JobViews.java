package dev.conveyor.api;

import java.util.Optional;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.conveyor.callback.JobDocuments;
import dev.conveyor.job.Job;
import dev.conveyor.job.JobId;
import dev.conveyor.queue.QueueInspector;
import io.smallrye.mutiny.Uni;

/**
 * A job's full view: the job, and for a job with a callback delivery the delivery's state, read in a second step
 * (only such jobs pay for it). Webhook bodies are this view too, so not bound to the API role.
 */
@Singleton
public class JobViews implements JobDocuments {

    private final QueueInspector inspector;
    private final ObjectMapper mapper;

    JobViews(QueueInspector inspector, ObjectMapper mapper) {
        this.inspector = inspector;
        this.mapper = mapper;
    }

    /** The view of a job as {@code GET /jobs/{id}} shows it. */
    public Uni<JobView> full(Job job) {
        if (job.delivery() == null) {
            return Uni.createFrom().item(JobView.of(job));
        }
        return inspector.find(new JobId(job.queue(), job.delivery()))
                .map(delivery -> JobView.of(job, delivery.orElse(null)));
    }

    @Override
    public Uni<Optional<String>> json(JobId id) {
        return inspector.find(id).chain(job -> job.isEmpty() ? Uni.createFrom().item(Optional.<String>empty())
                : full(job.get()).map(view -> Optional.of(write(view))));
    }

    private String write(JobView view) {
        try {
            return mapper.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("job view not writable as JSON", e);
        }
    }
}
