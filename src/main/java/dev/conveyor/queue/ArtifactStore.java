package dev.conveyor.queue;

import java.util.List;

import jakarta.inject.Singleton;

import dev.conveyor.job.JobId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * Jobs' artifacts, kept in the fields {@code artifact}, {@code artifactName} and {@code artifactType} of their job
 * hashes (lua/artifact.lua): they go wherever the job goes. The bytes travel as binary arguments and replies, never as
 * text.
 */
@Singleton
public class ArtifactStore {

    private final RedisCalls redis;
    private final KeySpace keys;
    private final Scripts scripts;

    ArtifactStore(RedisCalls redis, KeySpace keys, Scripts scripts) {
        this.redis = redis;
        this.keys = keys;
        this.scripts = scripts;
    }

    /** Stores the artifact of a running job; false when its lease was lost (nothing stored). */
    public Uni<Boolean> attach(ClaimedJob job, String name, String type, byte[] content) {
        QueueKeys k = keys.queue(job.id().queue());
        return redis.script(scripts.artifact, List.of(k.active(), k.job(job.id().ulid())),
                List.of(job.id().ulid(), job.token(), name, type), content)
                .map(stored -> stored.toInteger() == 1);
    }

    /** The job's artifact, in one round trip; see {@link JobArtifact} for a job without one, or no job. */
    public Uni<JobArtifact> read(JobId id) {
        Request hmget = Request.cmd(Command.HMGET).arg(keys.queue(id.queue()).job(id.ulid()))
                .arg("status").arg("artifactName").arg("artifactType").arg("artifact");
        return redis.send(hmget).map(ArtifactStore::decode);
    }

    private static JobArtifact decode(Response fields) {
        if (fields.get(0) == null) {
            return JobArtifact.NO_JOB;
        }
        Response content = fields.get(3);
        return content == null ? new JobArtifact(true, null, null, null)
                : new JobArtifact(true, fields.get(1).toString(), fields.get(2).toString(), content.toBytes());
    }
}
