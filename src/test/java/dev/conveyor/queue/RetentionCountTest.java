package dev.conveyor.queue;

import static dev.conveyor.queue.StoreSupport.echo;
import static dev.conveyor.queue.StoreSupport.keyed;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import dev.conveyor.job.Job;
import dev.conveyor.testing.Jobs;
import dev.conveyor.testing.RedisNodes;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Response;

/**
 * Retention by count with the shipped default (conveyor.retention.succeeded-count=1000): the scripts that record
 * outcomes remove the oldest succeeded jobs beyond it as jobs finish, a bounded number per call, with everything that
 * belongs to them; the reaper drains a larger backlog. Driven through {@link JobStore} by hand.
 */
@QuarkusTest
@TestProfile(StoreOnlyProfile.class)
class RetentionCountTest {

    private static final Logger LOG = Logger.getLogger(RetentionCountTest.class);
    /** conveyor.retention.succeeded-count in application.properties. */
    private static final int KEPT = 1000;

    @Inject
    StoreSupport s;

    @Inject
    RedisDataSource redis;

    @Inject
    Vertx vertx;

    @Inject
    Scripts scripts;

    @Inject
    RedisCalls calls;

    final String queue = Jobs.uniqueQueue("count");

    @Test
    void theCountKeepsExactlyTheNewestSucceededJobs() {
        List<Job> first = s.enqueueAll(IntStream.range(0, KEPT).mapToObj(i -> echo(queue, 5)).toList());
        succeedAll(KEPT);
        long firstFinished = redis.execute("ZSCORE", key("succeeded"), first.get(0).id().ulid()).toDouble().longValue();
        Awaitility.await("Redis' clock past the first batch's finishedAt").atMost(Duration.ofSeconds(5))
                .until(() -> redisMillis() > firstFinished);
        List<Job> later = s.enqueueAll(IntStream.range(0, 5).mapToObj(i -> echo(queue, 5)).toList());
        succeedAll(5);

        // equal finishedAt (one call) falls back to the ulid order of the sorted set: the 5 smallest go first
        List<String> oldest = first.stream().map(job -> job.id().ulid()).sorted().limit(5).toList();
        List<String> kept = members("succeeded");
        assertThat(kept).hasSize(KEPT).containsAll(later.stream().map(job -> job.id().ulid()).toList())
                .doesNotContainAnyElementsOf(oldest);
        for (String ulid : oldest) {
            assertThat(redis.key().exists(key("job:" + ulid))).as("job hash of trimmed " + ulid).isFalse();
        }
        assertThat(s.find(later.get(0).id()).result()).as("a job within the count is read").isEqualTo("{}");
    }

    @Test
    void trimmedJobsLeaveNoIdIndexEntryNoIdempotencyKeyAndNoHash() {
        List<Job> jobs = s.enqueueAll(IntStream.range(0, KEPT + 5)
                .mapToObj(i -> keyed(queue, "key-" + i, "hash-" + i)).toList());
        succeedAll(KEPT + 5);

        assertThat(redis.sortedSet(String.class).zcard(key("succeeded"))).isEqualTo(KEPT);
        assertThat(redis.sortedSet(String.class).zcard(key("all"))).as("entries of the id index").isEqualTo(KEPT);
        assertThat(redis.key().keys(key("idem:*"))).as("idempotency keys").hasSize(KEPT);
        assertThat(redis.hash(String.class).hlen(key("idem-keys"))).as("jobs' idempotency keys noted").isEqualTo(KEPT);
        assertThat(redis.key().keys(key("job:*"))).as("job hashes").hasSize(KEPT);
        List<String> kept = members("succeeded");
        for (int i = 0; i < jobs.size(); i++) {
            boolean trimmed = !kept.contains(jobs.get(i).id().ulid());
            assertThat(redis.key().exists(key("idem:key-" + i))).as("idempotency key of job %d", i)
                    .isEqualTo(!trimmed);
        }
    }

    @Test
    void aBacklogShrinksByABoundedStepPerCallAndTheReaperTakesTheRest() {
        int backlog = 20_000;
        fakeSucceededBacklog(backlog);
        List<Job> jobs = s.enqueueAll(List.of(echo(queue, 5), echo(queue, 5)));
        List<ClaimedJob> claimed = s.claim(queue, 2, "w:1").jobs();
        SlowLog slowLog = SlowLog.start(vertx);
        try {
            s.completeAndClaim(queue, 0, "", claimed.stream().map(job -> new Completion(job, "{}")).toList());
            assertThat(redis.sortedSet(String.class).zcard(key("succeeded")))
                    .as("after recording 2 successes: 2 added, 2 + 10 of the oldest removed")
                    .isEqualTo(backlog + 2 - 12);

            int calls = 1;
            while (s.reap(queue).more()) {
                calls++;
                assertThat(calls).as("reap calls to drain the backlog").isLessThan(100);
            }
            long completeMicros = slowLog.longest(scripts.completeAndClaim.sha(this.calls.scriptFlags()));
            long reapMicros = slowLog.longest(scripts.reap.sha(this.calls.scriptFlags()));
            LOG.infof("longest calls with a backlog of %d finished jobs: complete-and-claim %d us, reap %d us "
                    + "(%d calls)", backlog, completeMicros, reapMicros, calls);
            assertThat(completeMicros).as("complete-and-claim trimming its bounded step (us)").isLessThan(20_000);
            assertThat(reapMicros).as("one reap call removing up to 1000 jobs (us)").isLessThan(200_000);
        } finally {
            slowLog.stop();
        }
        assertThat(redis.sortedSet(String.class).zcard(key("succeeded"))).isEqualTo(KEPT);
        assertThat(redis.sortedSet(String.class).zcard(key("all"))).isEqualTo(KEPT);
        assertThat(redis.key().keys(key("job:*"))).hasSize(KEPT);
        assertThat(members("succeeded")).as("the jobs that really ran are the newest")
                .contains(jobs.get(0).id().ulid(), jobs.get(1).id().ulid());
    }

    /** Claims up to {@code n} jobs of the queue and records them all as succeeded in one call. */
    private void succeedAll(int n) {
        List<ClaimedJob> claimed = s.claim(queue, n, "w:" + n).jobs();
        assertThat(claimed).hasSize(n);
        Claim recorded = s.completeAndClaim(queue, 0, "",
                claimed.stream().map(job -> new Completion(job, "{}")).toList());
        assertThat(recorded.recorded()).allMatch(Optional::isPresent);
    }

    /**
     * Finished jobs as a worker leaves them, finished a second ago (within the age limit), beyond the count: as after
     * the count was lowered. Their ulids sort before any real one, so they are the oldest.
     */
    private void fakeSucceededBacklog(int n) {
        String script = "local t = redis.call('TIME')\n"
                + "local at = tonumber(t[1]) * 1000 - 1000\n"
                + "for i = 1, tonumber(ARGV[1]) do\n"
                + "  local ulid = string.format('0000000000%016d', i)\n"
                + "  redis.call('HSET', KEYS[1] .. ulid, 'type', 'echo', 'status', 'succeeded', 'result', '{}')\n"
                + "  redis.call('ZADD', KEYS[2], at, ulid)\n"
                + "  redis.call('ZADD', KEYS[3], 0, ulid)\n"
                + "end\n";
        redis.execute("EVAL", script, "3", key("job:"), key("succeeded"), key("all"), Integer.toString(n));
    }

    private List<String> members(String index) {
        return redis.sortedSet(String.class).zrange(key(index), 0, -1);
    }

    private String key(String name) {
        return "conveyor:{" + queue + "}:" + name;
    }

    private long redisMillis() {
        Response time = redis.execute("TIME");
        return time.get(0).toLong() * 1000 + time.get(1).toLong() / 1000;
    }

    /** Redis' slow log recording every command for a while, to find the longest script calls (every node's). */
    private record SlowLog(RedisNodes nodes) {

        static SlowLog start(Vertx vertx) {
            SlowLog log = new SlowLog(new RedisNodes(vertx));
            log.nodes.sendToEach("CONFIG", "SET", "slowlog-max-len", "10000");
            log.nodes.sendToEach("CONFIG", "SET", "slowlog-log-slower-than", "0");
            log.nodes.sendToEach("SLOWLOG", "RESET");
            return log;
        }

        /** The longest run (µs) of a script, by its SHA, since the start. */
        long longest(String sha) {
            long longest = -1;
            for (Response log : nodes.sendToEach("SLOWLOG", "GET", "10000")) {
                for (Response entry : log) {
                    Response args = entry.get(3);
                    if (args.size() > 1 && "EVALSHA".equalsIgnoreCase(args.get(0).toString())
                            && sha.equals(args.get(1).toString())) {
                        longest = Math.max(longest, entry.get(2).toLong());
                    }
                }
            }
            assertThat(longest).as("calls of script " + sha + " in the slow log").isGreaterThanOrEqualTo(0);
            return longest;
        }

        /** Back to Redis' defaults. */
        void stop() {
            try {
                nodes.sendToEach("CONFIG", "SET", "slowlog-log-slower-than", "10000");
                nodes.sendToEach("CONFIG", "SET", "slowlog-max-len", "128");
                nodes.sendToEach("SLOWLOG", "RESET");
            } finally {
                nodes.close();
            }
        }
    }
}
