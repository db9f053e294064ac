package dev.conveyor.callback;

import java.util.Optional;

import dev.conveyor.job.JobId;
import io.smallrye.mutiny.Uni;

/** The body a delivery sends: the job's view as {@code GET /jobs/{id}} shows it, or empty when the job is gone. */
public interface JobDocuments {

    Uni<Optional<String>> json(JobId id);
}
