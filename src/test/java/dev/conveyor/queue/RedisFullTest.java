package dev.conveyor.queue;

import static dev.conveyor.testing.Problems.assertProblem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.conveyor.job.JobId;
import dev.conveyor.job.JobStatus;
import dev.conveyor.testing.Jobs;
import dev.conveyor.testing.RedisNodes;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.mutiny.core.Vertx;

/**
 * Redis at {@code maxmemory} (the test's Redis runs with the default {@code noeviction}): new jobs are refused as
 * "unavailable, try later", while the outcomes of jobs already running are still recorded.
 */
@QuarkusTest
@TestProfile(StoreOnlyProfile.class)
class RedisFullTest {

    @Inject
    StoreSupport s;

    @Inject
    JobStore store;

    @Inject
    ScriptLoader loader;

    @Inject
    RedisDataSource redis;

    final String queue = Jobs.uniqueQueue("full");

    /** Also waits until the guard's once-a-second reading sees the room, so the next test class can enqueue. */
    @Inject
    Vertx vertx;

    @AfterEach
    void roomAgain() {
        setMaxmemory(0);
        awaitEnqueuesAccepted();
    }

    private void awaitEnqueuesAccepted() {
        Awaitility.await("enqueues accepted").atMost(Duration.ofSeconds(5)).ignoreExceptions()
                .until(() -> s.enqueueOutcomes(List.of(StoreSupport.echo(queue, 5))).size() == 1);
    }

    /** Any write that needs memory gets Redis' OOM error from now on. */
    private void fillRedis() {
        Awaitility.await("the scripts to be loaded").atMost(Duration.ofSeconds(10)).until(loader::loaded);
        setMaxmemory(1);
    }

    /** On every node: on a cluster the test's queue may be on any primary. */
    private void setMaxmemory(long bytes) {
        try (RedisNodes nodes = new RedisNodes(vertx)) {
            nodes.sendToEach("CONFIG", "SET", "maxmemory", Long.toString(bytes));
        }
    }

    @Test
    void newJobsAreRefusedAsUnavailable() {
        fillRedis();

        assertThatThrownBy(() -> store.enqueue(List.of(StoreSupport.echo(queue, 5))).await().atMost(StoreSupport.CALL))
                .isInstanceOf(RedisFullException.class);
        assertProblem(given().contentType(ContentType.JSON).body("{\"type\":\"echo\",\"queue\":\"" + queue + "\"}")
                .when().post("/jobs").then(), 503)
                .body("type", equalTo("https://conveyor.dev/problems/unavailable"))
                .body("detail", containsString("full"))
                .header("Retry-After", equalTo("1"));
    }

    @Test
    void theMemoryLimitIsAShareOfTheBudgetAndNoneWithoutOne() {
        String info = "# Memory\r\nused_memory:950\r\nused_memory_human:950B\r\nmaxmemory:%d\r\n";
        MemoryGuard.Reading of1000 = MemoryGuard.Reading.parse(info.formatted(1000)).orElseThrow();
        MemoryGuard.Reading unlimited = MemoryGuard.Reading.parse(info.formatted(0)).orElseThrow();
        assertThat(of1000.aboveLimit(0.9, 0)).isTrue();
        assertThat(of1000.aboveLimit(0.96, 0)).isFalse();
        assertThat(unlimited.aboveLimit(0.9, 0)).as("no maxmemory, no budget").isFalse();
        assertThat(MemoryGuard.Reading.parse("ERR")).isEmpty();
        // a configured budget: alone without maxmemory, the smaller of the two with it
        assertThat(unlimited.budget(1050)).isEqualTo(1050);
        assertThat(unlimited.aboveLimit(0.9, 1050)).isTrue();
        assertThat(of1000.budget(2000)).isEqualTo(1000);
        assertThat(of1000.budget(500)).isEqualTo(500);
        assertThat(of1000.aboveLimit(0.96, 980)).as("the budget, not maxmemory").isTrue();
    }

    @Test
    void aboveTheLimitNewJobsAreRefusedBeforeRedisIsFullAndAcceptedOnceMemoryFreesUp() {
        long used;
        try (RedisNodes nodes = new RedisNodes(vertx)) {
            used = nodes.usedMemory();
        }
        // 95% used (of the fullest primary, on a cluster): above the limit of 0.9, while Redis still accepts writes
        setMaxmemory(used * 100 / 95);

        Awaitility.await("enqueues refused").atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThatThrownBy(() -> s.enqueueOutcomes(List.of(StoreSupport.echo(queue, 5))))
                        .isInstanceOf(RedisFullException.class).hasMessageContaining("0.9"));
        setMaxmemory(0);
        awaitEnqueuesAccepted();
    }

    /** A guarantee of Redis 7 (allow-oom); the tests' fallback redis-server 6.2 lacks it, as the docs say. */
    @Test
    void outcomesOfRunningJobsAreRecordedAtMaxmemory() {
        assumeTrue(ScriptLoader.readsFlags(redis.execute("INFO", "server").toString()), "needs Redis 7 or newer");
        List<JobId> ids = s.enqueueAll(List.of(StoreSupport.echo(queue, 5), StoreSupport.echo(queue, 5),
                StoreSupport.echo(queue, 5), StoreSupport.echo(queue, 5), StoreSupport.echo(queue, 5)))
                .stream().map(job -> job.id()).toList();
        List<ClaimedJob> running = s.claim(queue, 4, "w:1").jobs();
        ClaimedJob dead = s.claim(queue, 1, Duration.ofMillis(1), "dead:1").jobs().get(0);
        fillRedis();

        assertThat(s.extend(queue, running, StoreSupport.LEASE).lost()).as("leases extended").isEmpty();
        assertThat(s.complete(running.get(0), "1")).as("success recorded").isTrue();
        assertThat(s.fail(running.get(1), "boom", Duration.ZERO)).contains(JobStatus.RETRYING);
        assertThat(s.release(running.get(2))).contains(JobStatus.QUEUED);
        assertThat(s.cancel(running.get(3).id()).result()).isEqualTo(CancelOutcome.Result.CANCEL_REQUESTED);
        Awaitility.await("the expired lease").atMost(Duration.ofSeconds(5))
                .until(() -> !s.reap(queue).requeued().isEmpty());

        assertThat(s.find(ids.get(0)).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(s.find(ids.get(1)).status()).isEqualTo(JobStatus.RETRYING);
        assertThat(s.find(ids.get(2)).status()).isEqualTo(JobStatus.QUEUED);
        assertThat(s.find(ids.get(3)).cancelRequested()).isTrue();
        assertThat(s.find(dead.id()).status()).isEqualTo(JobStatus.QUEUED);
    }
}
