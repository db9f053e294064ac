package dev.conveyor.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.conveyor.job.Job;
import dev.conveyor.job.JobStatus;
import dev.conveyor.testing.Jobs;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * artifact.lua and {@link ArtifactStore}: a running job's file is stored in its own hash, byte for byte, fenced by the
 * lease token like an outcome, and goes wherever the job goes (deleted, trimmed by retention).
 */
@QuarkusTest
@TestProfile(ArtifactStoreTest.Profile.class)
class ArtifactStoreTest {

    /** A queue whose retention keeps one succeeded job, so that the second success trims the first. */
    static final String TRIMMED = "artifact-trim";

    public static class Profile extends StoreOnlyProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("conveyor.retention.queues." + TRIMMED + ".succeeded-count", "1");
            return config;
        }
    }

    @Inject
    StoreSupport s;

    @Inject
    ArtifactStore artifacts;

    @Inject
    BulkActions bulk;

    @Inject
    KeySpace keys;

    @Inject
    RedisDataSource redis;

    final String queue = Jobs.uniqueQueue("artifact");

    /** Every byte value, and sequences that are not UTF-8: what a PDF holds. */
    private static byte[] binary() {
        byte[] bytes = new byte[1024];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 7 + 3);
        }
        bytes[0] = (byte) 0xC3;
        bytes[1] = (byte) 0x28;
        bytes[2] = 0;
        return bytes;
    }

    private boolean attach(ClaimedJob job, String name, byte[] content) {
        return artifacts.attach(job, name, "application/pdf", content).await().atMost(StoreSupport.CALL);
    }

    private JobArtifact read(Job job) {
        return artifacts.read(job.id()).await().atMost(StoreSupport.CALL);
    }

    @Test
    void theFileIsStoredByteForByteWithItsNameAndType() {
        Job job = s.enqueue(StoreSupport.echo(queue, 5));
        ClaimedJob claimed = s.claimOne(queue, job.id(), "w:1");

        assertThat(attach(claimed, "Umsätze 2026 – 北.pdf", binary())).isTrue();

        JobArtifact stored = read(job);
        assertThat(stored.jobFound()).isTrue();
        assertThat(stored.present()).isTrue();
        assertThat(stored.content()).isEqualTo(binary());
        assertThat(stored.name()).isEqualTo("Umsätze 2026 – 北.pdf");
        assertThat(stored.type()).isEqualTo("application/pdf");
        assertThat(redis.hash(String.class).hstrlen(keys.queue(queue).job(job.id().ulid()), "artifact"))
                .isEqualTo(1024);
    }

    @Test
    void aSecondAttachReplacesTheFirstAndTheJobStillSucceeds() {
        Job job = s.enqueue(StoreSupport.echo(queue, 5));
        ClaimedJob claimed = s.claimOne(queue, job.id(), "w:1");
        attach(claimed, "first.pdf", new byte[] {1, 2, 3});
        attach(claimed, "second.pdf", new byte[] {4});

        assertThat(s.complete(claimed, "{\"artifact\":{}}")).isTrue();

        JobArtifact stored = read(job);
        assertThat(stored.name()).isEqualTo("second.pdf");
        assertThat(stored.content()).containsExactly(4);
        assertThat(s.find(job.id()).status()).isEqualTo(JobStatus.SUCCEEDED);
    }

    @Test
    void aJobWithoutAnArtifactAndNoJobAtAllAreTold() {
        Job job = s.enqueue(StoreSupport.echo(queue, 5));

        assertThat(read(job).jobFound()).isTrue();
        assertThat(read(job).present()).isFalse();
        Job other = s.enqueue(StoreSupport.echo(Jobs.uniqueQueue("artifact"), 5));
        redis.key().del(keys.queue(other.id().queue()).job(other.id().ulid()));
        assertThat(read(other).jobFound()).isFalse();
        assertThat(read(other).present()).isFalse();
    }

    @Test
    void aWorkerThatLostTheLeaseStoresNothing() {
        Job job = s.enqueue(StoreSupport.echo(queue, 5));
        ClaimedJob lost = s.claimOne(queue, job.id(), Duration.ofMillis(1), "dead:1");
        Jobs.eventually().until(() -> s.reap(queue).requeued().size() == 1);
        ClaimedJob current = s.claimOne(queue, job.id(), "w:2");

        assertThat(attach(lost, "stale.pdf", new byte[] {1})).isFalse();
        assertThat(attach(StoreSupport.withToken(current, "someone-else:1"), "forged.pdf", new byte[] {2})).isFalse();
        assertThat(read(job).present()).isFalse();

        assertThat(attach(current, "fresh.pdf", new byte[] {3})).isTrue();
        assertThat(read(job).name()).isEqualTo("fresh.pdf");
    }

    @Test
    void nothingIsStoredAfterTheJobEnded() {
        Job job = s.enqueue(StoreSupport.echo(queue, 5));
        ClaimedJob claimed = s.claimOne(queue, job.id(), "w:1");
        assertThat(s.fail(claimed, "boom", null)).contains(JobStatus.FAILED);

        assertThat(attach(claimed, "late.pdf", new byte[] {1})).isFalse();

        assertThat(read(job).present()).isFalse();
    }

    @Test
    void aRerunByHandRemovesTheArtifactWithTheResult() {
        Job job = s.enqueue(StoreSupport.job(queue, 5, 1, null));
        ClaimedJob claimed = s.claimOne(queue, job.id(), "w:1");
        attach(claimed, "partial.pdf", new byte[] {1});
        assertThat(s.fail(claimed, "boom", null)).contains(JobStatus.FAILED);
        assertThat(read(job).present()).as("kept with the failed job").isTrue();

        assertThat(s.rerun(job.id()).result()).isEqualTo(RerunOutcome.Result.QUEUED);

        assertThat(read(job).jobFound()).isTrue();
        assertThat(read(job).present()).isFalse();
    }

    @Test
    void theArtifactGoesWhenItsJobIsDeleted() {
        Job job = s.enqueue(StoreSupport.echo(queue, 5));
        ClaimedJob claimed = s.claimOne(queue, job.id(), "w:1");
        attach(claimed, "report.pdf", binary());
        s.complete(claimed, "{}");

        assertThat(bulk.deleteFinished(queue, JobStatus.SUCCEEDED, 100).await().atMost(StoreSupport.CALL))
                .isEqualTo(1);

        assertThat(read(job).jobFound()).isFalse();
        assertThat(redis.key().exists(keys.queue(queue).job(job.id().ulid()))).isFalse();
    }

    @Test
    void theArtifactGoesWhenRetentionTrimsItsJob() {
        Job first = s.enqueue(StoreSupport.echo(TRIMMED, 5));
        ClaimedJob claimed = s.claimOne(TRIMMED, first.id(), "w:1");
        attach(claimed, "first.pdf", binary());
        s.complete(claimed, "{}");
        assertThat(read(first).present()).isTrue();

        Job second = s.enqueue(StoreSupport.echo(TRIMMED, 5));
        ClaimedJob next = s.claimOne(TRIMMED, second.id(), "w:1");
        s.complete(next, "{}");

        assertThat(read(first).jobFound()).as("trimmed with its job").isFalse();
        assertThat(redis.key().exists(keys.queue(TRIMMED).job(first.id().ulid()))).isFalse();
        assertThat(read(second).jobFound()).isTrue();
    }

    @Test
    void readingAJobNeverReadsItsArtifact() {
        assertThat(JobCodec.FIELDS).doesNotContain("artifact");
        assertThat(JobCodec.SUMMARY_FIELDS).doesNotContain("artifact");
        assertThat(List.of(JobCodec.FIELDS, JobCodec.SUMMARY_FIELDS)).allSatisfy(fields ->
                assertThat(fields).noneMatch(field -> field.startsWith("artifact")));
    }
}
