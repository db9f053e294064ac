package dev.conveyor.queue;

import static dev.conveyor.queue.StoreSupport.echo;
import static dev.conveyor.queue.StoreSupport.withToken;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.conveyor.job.Job;
import dev.conveyor.job.JobStatus;
import dev.conveyor.job.NewJob;
import dev.conveyor.testing.Jobs;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * One claim call records a batch of successes and claims the next jobs: fencing per job inside the batch, and the
 * Redis command budget of a job's whole life (enqueue, claim, complete) with batches as a busy worker sends them.
 */
@QuarkusTest
@TestProfile(StoreOnlyProfile.class)
class BatchedClaimTest {

    /** Redis commands per job, scripts' own commands included (what INFO commandstats counts). */
    private static final double COMMAND_BUDGET = 6.0;
    private static final Optional<JobStatus> SUCCEEDED = Optional.of(JobStatus.SUCCEEDED);

    @Inject
    StoreSupport s;

    @Inject
    RedisDataSource redis;

    final String queue = Jobs.uniqueQueue("batch");

    @Test
    void recordsEachSuccessOfTheBatchByItsOwnTokenAndClaimsTheNextJobs() {
        List<Job> jobs = s.enqueueAll(IntStream.range(0, 6).mapToObj(i -> echo(queue, 5)).toList());
        List<ClaimedJob> first = s.claim(queue, 4, "w:1").jobs();
        assertThat(first).hasSize(4);

        List<Completion> done = List.of(new Completion(first.get(0), "{\"n\":0}"),
                new Completion(first.get(1), "{\"n\":1}"),
                new Completion(withToken(first.get(2), "w:forged"), "{\"n\":2}"));
        Claim next = s.completeAndClaim(queue, 5, "w:2", done);

        assertThat(next.recorded()).containsExactly(SUCCEEDED, SUCCEEDED, Optional.empty());
        assertThat(next.jobs()).extracting(ClaimedJob::id).containsExactly(jobs.get(4).id(), jobs.get(5).id());
        assertThat(s.find(first.get(0).id()).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(s.find(first.get(1).id()).result()).isEqualTo("{\"n\":1}");
        assertThat(s.find(first.get(2).id()).status()).as("forged token").isEqualTo(JobStatus.RUNNING);
        assertThat(s.counts(queue)).containsEntry(JobStatus.SUCCEEDED, 2L).containsEntry(JobStatus.RUNNING, 4L);

        // the same successes again: their leases are gone, nothing is recorded twice
        Claim again = s.completeAndClaim(queue, 0, "w:3", done.subList(0, 2));
        assertThat(again.recorded()).containsExactly(Optional.empty(), Optional.empty());
        assertThat(s.counts(queue)).containsEntry(JobStatus.SUCCEEDED, 2L);
    }

    @Test
    void aPausedQueueStillRecordsSuccessesButHandsOutNothing() {
        s.enqueueAll(List.of(echo(queue, 5), echo(queue, 5)));
        ClaimedJob claimed = s.claim(queue, 1, "w:1").jobs().get(0);
        s.pause(queue);

        Claim claim = s.completeAndClaim(queue, 10, "w:2", List.of(new Completion(claimed, "{}")));

        assertThat(claim.recorded()).containsExactly(SUCCEEDED);
        assertThat(claim.jobs()).isEmpty();
        assertThat(s.counts(queue)).containsEntry(JobStatus.SUCCEEDED, 1L).containsEntry(JobStatus.QUEUED, 1L);
    }

    @Test
    void aJobCostsAtMostSixRedisCommandsFromEnqueueToSuccess() {
        int n = 2000;
        int concurrency = 50;
        List<NewJob> batch = IntStream.range(0, 1000).mapToObj(i -> echo(queue, 5)).toList();
        long before = commandsProcessed();

        s.enqueueAll(batch);
        s.enqueueAll(batch);
        List<Completion> done = new ArrayList<>();
        int succeeded = 0;
        for (int call = 0; call < 10 * n / concurrency && succeeded < n; call++) {
            Claim claim = s.completeAndClaim(queue, concurrency, "w:" + call, done);
            succeeded += (int) claim.recorded().stream().filter(Optional::isPresent).count();
            done = claim.jobs().stream().map(job -> new Completion(job, "{}")).toList();
        }
        long commands = commandsProcessed() - before;

        assertThat(succeeded).isEqualTo(n);
        double perJob = (double) commands / n;
        assertThat(perJob).as("Redis commands per job, enqueue (batches of 1000) to success (batches of %d)",
                concurrency).isLessThanOrEqualTo(COMMAND_BUDGET);
    }

    /** Every command Redis ran, those of scripts included; other tests' idle workers add a handful at most. */
    private long commandsProcessed() {
        for (String line : redis.execute("INFO", "stats").toString().split("\r?\n")) {
            if (line.startsWith("total_commands_processed:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        throw new IllegalStateException("no total_commands_processed in INFO stats");
    }
}
