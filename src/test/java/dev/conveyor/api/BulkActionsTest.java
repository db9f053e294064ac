package dev.conveyor.api;

import static dev.conveyor.testing.Jobs.countsOf;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static dev.conveyor.testing.Problems.assertInvalid;
import static dev.conveyor.testing.Problems.assertProblem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.conveyor.job.Job;
import dev.conveyor.job.JobStatus;
import dev.conveyor.job.NewJob;
import dev.conveyor.job.Unique;
import dev.conveyor.queue.BulkActions;
import dev.conveyor.queue.BulkInterruptedException;
import dev.conveyor.queue.ClaimedJob;
import dev.conveyor.queue.Completion;
import dev.conveyor.queue.Enqueued;
import dev.conveyor.queue.JobStore;
import dev.conveyor.queue.StoreOnlyProfile;
import dev.conveyor.testing.RedisTestResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;

/**
 * Bulk actions on a queue: retry-failed, delete by status and drain. The jobs are put in their statuses through the
 * store (claimed and failed by hand; the worker leaves these queues alone), the actions go through the API.
 */
@QuarkusTest
@TestProfile(StoreOnlyProfile.class)
class BulkActionsTest {

    private static final Duration CALL = Duration.ofSeconds(30);
    private static final Duration LEASE = Duration.ofMinutes(5);

    @Inject
    JobStore store;

    @Inject
    BulkActions bulk;

    @Inject
    RedisDataSource redis;

    private static NewJob echo(String queue, Instant runAt) {
        return new NewJob("echo", queue, 5, "{}", 1, runAt, null, null, null, null);
    }

    /** Enqueues {@code n} jobs, due now. */
    private List<Job> enqueue(String queue, int n) {
        List<Job> jobs = new ArrayList<>();
        for (int from = 0; from < n; from += 1000) {
            List<NewJob> batch = new ArrayList<>();
            for (int i = from; i < Math.min(n, from + 1000); i++) {
                batch.add(echo(queue, null));
            }
            store.enqueue(batch).await().atMost(CALL).forEach(result -> jobs.add(result.job()));
        }
        return jobs;
    }

    /** Claims up to {@code n} jobs of the queue (they are running then). */
    private List<ClaimedJob> claim(String queue, int n) {
        List<ClaimedJob> claimed = new ArrayList<>();
        while (claimed.size() < n) {
            List<ClaimedJob> more = store.completeAndClaim(queue, Math.min(1000, n - claimed.size()), LEASE,
                    "test:" + UUID.randomUUID(), List.of()).await().atMost(CALL).jobs();
            assertThat(more).as("jobs left to claim").isNotEmpty();
            claimed.addAll(more);
        }
        return claimed;
    }

    /** Makes {@code n} failed jobs in the queue (one attempt each, failed for good). */
    private void failed(String queue, int n) {
        enqueue(queue, n);
        List<Uni<Optional<JobStatus>>> fails = new ArrayList<>();
        for (ClaimedJob job : claim(queue, n)) {
            fails.add(store.fail(job, "failed on purpose", null));
        }
        // a few at a time: the shared pool's connections (16) each take one call
        for (int from = 0; from < fails.size(); from += 16) {
            Uni.join().all(fails.subList(from, Math.min(fails.size(), from + 16))).andFailFast().await().atMost(CALL);
        }
    }

    private void succeeded(String queue, int n) {
        enqueue(queue, n);
        List<Completion> done = claim(queue, n).stream().map(job -> new Completion(job, "{}")).toList();
        store.completeAndClaim(queue, 0, LEASE, "", done).await().atMost(CALL);
    }

    private void cancelled(String queue, int n) {
        for (Job job : enqueue(queue, n)) {
            store.cancel(job.id()).await().atMost(CALL);
        }
    }

    private static Map<String, Integer> counts(String queue) {
        return countsOf(queue);
    }

    @Test
    void retryFailedQueuesThousandsOfFailedJobsInChunks() {
        String queue = uniqueQueue("bulk");
        failed(queue, 2500);
        assertThat(counts(queue)).containsEntry("failed", 2500);

        given().when().post("/queues/" + queue + "/retry-failed").then().statusCode(200)
                .body("retried", equalTo(2500));

        assertThat(counts(queue)).containsEntry("failed", 0).containsEntry("queued", 2500);
        given().when().post("/queues/" + queue + "/retry-failed").then().statusCode(200).body("retried", equalTo(0));
    }

    @Test
    void chunksOfAnySizeAddUp() {
        String queue = uniqueQueue("bulk");
        failed(queue, 23);

        assertThat(bulk.retryFailed(queue, 7).await().atMost(CALL)).isEqualTo(23);
        assertThat(bulk.drain(queue, 7).await().atMost(CALL)).isEqualTo(23);
        assertThat(bulk.deleteFinished(queue, JobStatus.CANCELLED, 7).await().atMost(CALL)).isEqualTo(23);
        assertThat(counts(queue).values()).containsOnly(0);
    }

    @Test
    void deleteByStatusLeavesTheOtherStatuses() {
        String queue = uniqueQueue("bulk");
        failed(queue, 3);
        succeeded(queue, 4);
        cancelled(queue, 5);
        List<Job> waiting = enqueue(queue, 2);

        given().when().delete("/queues/" + queue + "/jobs?status=failed").then().statusCode(200)
                .body("deleted", equalTo(3));
        assertThat(counts(queue)).containsEntry("failed", 0).containsEntry("succeeded", 4)
                .containsEntry("cancelled", 5).containsEntry("queued", 2);
        given().when().delete("/queues/" + queue + "/jobs?status=cancelled").then().statusCode(200)
                .body("deleted", equalTo(5));
        given().when().delete("/queues/" + queue + "/jobs?status=succeeded").then().statusCode(200)
                .body("deleted", equalTo(4));

        assertThat(counts(queue)).containsEntry("succeeded", 0).containsEntry("cancelled", 0)
                .containsEntry("queued", 2);
        given().when().get("/jobs/" + waiting.get(0).id()).then().statusCode(200);
        given().when().get("/jobs?queue=" + queue).then().statusCode(200).body("jobs.size()", equalTo(2));
    }

    @Test
    void deletingAJobFreesTheUniqueKeyItKept() {
        String queue = uniqueQueue("bulk");
        NewJob keyed = new NewJob("echo", queue, 5, "{}", 1, null, null, null, null, null, null, null,
                new Unique("nightly", Unique.Scope.UNTIL_DONE, Duration.ofHours(1)));
        store.enqueue(List.of(keyed)).await().atMost(CALL);
        store.fail(claim(queue, 1).get(0), "failed on purpose", null).await().atMost(CALL);
        assertThat(store.enqueue(List.of(keyed)).await().atMost(CALL).get(0).outcome())
                .as("a failed until-done job keeps its key").isEqualTo(Enqueued.Outcome.UNIQUE_HELD);

        given().when().delete("/queues/" + queue + "/jobs?status=failed").then().statusCode(200)
                .body("deleted", equalTo(1));

        assertThat(store.enqueue(List.of(keyed)).await().atMost(CALL).get(0).outcome())
                .isEqualTo(Enqueued.Outcome.CREATED);
    }

    @Test
    void drainCancelsWaitingJobsAndLeavesRunningOnes() {
        String queue = uniqueQueue("bulk");
        enqueue(queue, 3);
        List<ClaimedJob> running = claim(queue, 3);
        // one retrying: failed with attempts left
        store.enqueue(List.of(new NewJob("echo", queue, 5, "{}", 3, null, null, null, null, null)))
                .await().atMost(CALL);
        store.fail(claim(queue, 1).get(0), "again later", Duration.ofHours(1)).await().atMost(CALL);
        enqueue(queue, 4);
        store.enqueue(List.of(echo(queue, Instant.now().plus(Duration.ofHours(1))),
                echo(queue, Instant.now().plus(Duration.ofHours(2))))).await().atMost(CALL);
        assertThat(counts(queue)).containsEntry("running", 3).containsEntry("retrying", 1)
                .containsEntry("queued", 4).containsEntry("scheduled", 2);

        given().when().post("/queues/" + queue + "/drain").then().statusCode(200).body("cancelled", equalTo(7));

        assertThat(counts(queue)).containsEntry("running", 3).containsEntry("retrying", 0)
                .containsEntry("queued", 0).containsEntry("scheduled", 0).containsEntry("cancelled", 7);
        given().when().get("/jobs/" + running.get(0).id()).then().statusCode(200).body("status", equalTo("running"));
        given().when().post("/queues/" + queue + "/drain").then().statusCode(200).body("cancelled", equalTo(0));
    }

    /**
     * Redis stops answering in the middle (CLIENT PAUSE, longer than conveyor.queue.redis-timeout): the action fails
     * saying how many jobs it did, and every job is either still failed or queued again, none lost or twice.
     */
    @Test
    void aFailureMidwaySaysHowManyWereDone() {
        assumeFalse("cluster".equals(System.getProperty(RedisTestResource.TOPOLOGY)), "one Redis to pause");
        String queue = uniqueQueue("bulk");
        failed(queue, 2000);
        CompletableFuture<Long> retried = bulk.retryFailed(queue, 1).subscribeAsCompletionStage();
        // one call per job: pause once the first are queued again, well before the 2000th
        Awaitility.await().atMost(CALL).pollInterval(Duration.ofMillis(1))
                .until(() -> redis.sortedSet(String.class).zcard("conveyor:{" + queue + "}:ready") > 0);

        redis.execute("CLIENT", "PAUSE", "3000", "ALL");

        ExecutionException failure = catchThrowableOfType(ExecutionException.class,
                () -> retried.get(CALL.toSeconds(), TimeUnit.SECONDS));
        assertThat(failure.getCause()).isInstanceOf(BulkInterruptedException.class);
        long done = ((BulkInterruptedException) failure.getCause()).done();
        assertThat(done).isBetween(1L, 1999L);
        Awaitility.await().atMost(CALL).ignoreExceptions().until(() -> counts(queue) != null);
        Map<String, Integer> after = counts(queue);
        assertThat(after.get("queued") + after.get("failed")).isEqualTo(2000);
        assertThat((long) after.get("queued")).as("at least the jobs it said it did, at most one chunk more")
                .isBetween(done, done + 1);
    }

    @Test
    void deleteNeedsAFinishedStatus() {
        String queue = uniqueQueue("bulk");
        enqueue(queue, 1);
        assertInvalid(given().when().delete("/queues/" + queue + "/jobs").then(), "status");
        assertInvalid(given().when().delete("/queues/" + queue + "/jobs?status=queued").then(), "status");
        assertInvalid(given().when().delete("/queues/" + queue + "/jobs?status=running").then(), "status");
        assertInvalid(given().when().delete("/queues/" + queue + "/jobs?status=nonsense").then(), "status");
        assertThat(counts(queue)).containsEntry("queued", 1);
    }

    @Test
    void anUnknownQueueIs404() {
        String queue = uniqueQueue("never");
        assertProblem(given().when().post("/queues/" + queue + "/retry-failed").then(), 404);
        assertProblem(given().when().post("/queues/" + queue + "/drain").then(), 404);
        assertProblem(given().when().delete("/queues/" + queue + "/jobs?status=failed").then(), 404);
    }
}
