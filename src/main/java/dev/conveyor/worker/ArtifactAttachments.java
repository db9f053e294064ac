package dev.conveyor.worker;

import java.util.Locale;

import jakarta.inject.Singleton;

import dev.conveyor.handler.Artifact;
import dev.conveyor.handler.ArtifactInfo;
import dev.conveyor.handler.ArtifactSink;
import dev.conveyor.handler.JobContext;
import dev.conveyor.handler.PermanentJobFailure;
import dev.conveyor.job.JobId;
import dev.conveyor.queue.ArtifactStore;
import dev.conveyor.role.WorkerRole;
import io.smallrye.mutiny.Uni;

/**
 * Stores the artifacts of the jobs this worker runs, under their lease tokens. One instance serves every job: it finds
 * the running job by the context's id, so a job that attaches nothing costs nothing here.
 */
@Singleton
@WorkerRole
class ArtifactAttachments implements ArtifactSink {

    private static final long MIB = 1024 * 1024;

    private final ArtifactStore store;
    private final RunningJobs running;
    private final ArtifactsConfig config;

    ArtifactAttachments(ArtifactStore store, RunningJobs running, ArtifactsConfig config) {
        this.store = store;
        this.running = running;
        this.config = config;
    }

    @Override
    public Uni<ArtifactInfo> attach(JobContext context, Artifact artifact) {
        long max = config.maxSize().asLongValue();
        if (artifact.content().length > max) {
            return Uni.createFrom().failure(new PermanentJobFailure(artifact.name() + " of "
                    + size(artifact.content().length) + " is over conveyor.artifacts.max-size (" + size(max) + ")"));
        }
        RunningJob run = JobId.parse(context.jobId()).map(running::get)
                .filter(job -> job.job().attempt() == context.attempt()).orElse(null);
        if (run == null) {
            return Uni.createFrom().failure(new IllegalStateException("job " + context.jobId() + " attempt "
                    + context.attempt() + " is not running here: its artifact is not stored"));
        }
        return store.attach(run.job(), artifact.name(), artifact.type(), artifact.content()).map(stored -> {
            if (!stored) {
                throw new IllegalStateException("job " + context.jobId()
                        + " lost its lease: its artifact is not stored");
            }
            return artifact.info();
        });
    }

    /** Bytes as people read them: {@code 512 bytes}, {@code 3.4 MiB}, {@code 2 MiB}. */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        boolean mebibytes = bytes >= MIB;
        double value = (double) bytes / (mebibytes ? MIB : 1024);
        String number = value == Math.rint(value) ? String.valueOf((long) value)
                : String.format(Locale.ROOT, "%.1f", value);
        return number + (mebibytes ? " MiB" : " KiB");
    }
}
