package dev.conveyor.handler;

import io.smallrye.mutiny.Uni;

/**
 * Where a {@link JobContext} sends its handler's artifact. The worker's stores it on the job, fenced by the job's lease
 * like an outcome; {@link #NONE} refuses (for handlers run outside a worker).
 */
@FunctionalInterface
public interface ArtifactSink {

    ArtifactSink NONE = (context, artifact) -> Uni.createFrom()
            .failure(new IllegalStateException("artifacts are stored by a worker only"));

    /** Stores the artifact of the job the context names, replacing an earlier one; fails when it cannot. */
    Uni<ArtifactInfo> attach(JobContext context, Artifact artifact);
}
