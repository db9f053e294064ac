package dev.conveyor.queue;

import static dev.conveyor.queue.StoreSupport.CALL;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.conveyor.job.Job;
import dev.conveyor.job.JobId;
import dev.conveyor.job.JobStatus;
import dev.conveyor.job.NewJob;
import dev.conveyor.testing.Jobs;
import dev.conveyor.testing.RedisNodes;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/** Concurrent single enqueues share script calls, and each still gets its own job back. */
@QuarkusTest
@TestProfile(StoreOnlyProfile.class)
class EnqueueCoalescerTest {

    @Inject
    EnqueueCoalescer singles;

    @Inject
    StoreSupport s;

    @Inject
    Vertx vertx;

    @Inject
    QueueConfig config;

    @Test
    void requestsArrivingWhileCallsAreUnderWayGoOutTogetherAndEachGetsItsOwnJob() {
        String queue = Jobs.uniqueQueue("singles");
        int n = 200;
        long callsBefore = enqueueCalls();
        List<Uni<Enqueued>> answers = new ArrayList<>();
        // Redis holds every write until the last request is in: the first two go out at once (and wait in Redis),
        // the 198 others wait in the coalescer for one of those two to end
        onEveryNode("CLIENT", "PAUSE", "10000", "WRITE");
        try {
            for (int i = 0; i < n; i++) {
                answers.add(singles.enqueue(new NewJob("echo", queue, 5, "{\"i\":" + i + "}", 3, null, null, null,
                        null, null)).memoize().indefinitely());
                answers.get(i).subscribe().with(ignored -> { }, ignored -> { });
            }
        } finally {
            onEveryNode("CLIENT", "UNPAUSE");
        }

        Set<String> ids = new HashSet<>();
        for (int i = 0; i < n; i++) {
            Enqueued answer = answers.get(i).await().atMost(CALL);
            assertThat(answer.outcome()).isEqualTo(Enqueued.Outcome.CREATED);
            assertThat(answer.job().payload()).as("request %d's own job", i).isEqualTo("{\"i\":" + i + "}");
            ids.add(answer.job().id().toString());
        }
        assertThat(ids).hasSize(n);
        assertThat(s.counts(queue)).containsEntry(JobStatus.QUEUED, (long) n);
        assertThat(enqueueCalls() - callsBefore).as("script calls").isEqualTo(3);
    }

    @Test
    void whenRedisDoesNotAnswerEveryWaitingRequestFailsWithinAboutOneTimeout() {
        String queue = Jobs.uniqueQueue("singles-outage");
        Duration timeout = config.redisTimeout();
        // more than two calls' worth: without the early answer, the last 498 would wait three timeouts
        int n = 2500;
        // the failure as an item, in an Optional: memoize() would replay a Throwable item as a failure
        List<Uni<Optional<Throwable>>> failures = new ArrayList<>();
        long began = System.nanoTime();
        onEveryNode("CLIENT", "PAUSE", Long.toString(timeout.multipliedBy(5).toMillis()), "WRITE");
        try {
            for (int i = 0; i < n; i++) {
                failures.add(singles.enqueue(new NewJob("echo", queue, 5, "{}", 3, null, null, null, null, null))
                        .onItemOrFailure().transform((ignored, failure) -> Optional.ofNullable(failure)).memoize()
                        .indefinitely());
                failures.get(i).subscribe().with(ignored -> { });
            }
            for (int i = 0; i < n; i++) {
                assertThat(failures.get(i).await().atMost(timeout.multipliedBy(4))).as("request %d", i)
                        .containsInstanceOf(RedisUnavailableException.class);
            }
        } finally {
            onEveryNode("CLIENT", "UNPAUSE");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - began)).as("until the last answer")
                .isLessThan(timeout.multipliedBy(2));
    }

    @Test
    void whenRedisDoesNotAnswerTheRequestsSentAreToldTheirOwnJobIdAndTheOthersThatNothingWasWritten() {
        String queue = Jobs.uniqueQueue("singles-unknown");
        // registered first, so that each call is the enqueue script alone
        singles.enqueue(job(queue, -1)).await().atMost(CALL);
        int n = 10;
        List<Uni<Optional<Throwable>>> failures = new ArrayList<>();
        onEveryNode("CLIENT", "PAUSE", Long.toString(config.redisTimeout().multipliedBy(10).toMillis()), "WRITE");
        try {
            for (int i = 0; i < n; i++) {
                failures.add(singles.enqueue(job(queue, i))
                        .onItemOrFailure().transform((ignored, failure) -> Optional.ofNullable(failure)).memoize()
                        .indefinitely());
                failures.get(i).subscribe().with(ignored -> { });
            }
            for (int i = 0; i < n; i++) {
                assertThat(failures.get(i).await().atMost(config.redisTimeout().multipliedBy(4))).as("request %d", i)
                        .containsInstanceOf(RedisUnavailableException.class);
            }
        } finally {
            onEveryNode("CLIENT", "UNPAUSE");
        }
        // two calls go out at once (CALLS_IN_FLIGHT), one request each; the others wait for them and are never sent
        List<String> told = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Throwable failure = failures.get(i).await().indefinitely().orElseThrow();
            if (i < 2) {
                assertThat(failure).as("request %d", i).isInstanceOf(OutcomeUnknownException.class);
                OutcomeUnknownException unknown = (OutcomeUnknownException) failure;
                assertThat(unknown.single()).isTrue();
                assertThat(unknown.jobIds()).hasSize(1);
                told.add(unknown.jobIds().get(0).toString());
            } else {
                assertThat(failure).as("request %d", i).isNotInstanceOf(OutcomeUnknownException.class);
            }
        }
        assertThat(told).doesNotHaveDuplicates();
        for (int i = 0; i < told.size(); i++) {
            String payload = "{\"i\":" + i + "}";
            JobId id = JobId.parse(told.get(i)).orElseThrow();
            Awaitility.await().atMost(CALL).untilAsserted(() -> assertThat(s.find(id)).isNotNull()
                    .extracting(Job::payload).isEqualTo(payload));
        }
        assertThat(s.counts(queue)).containsEntry(JobStatus.QUEUED, 1L + told.size());
    }

    private static NewJob job(String queue, int i) {
        return new NewJob("echo", queue, 5, "{\"i\":" + i + "}", 3, null, null, null, null, null);
    }

    /** Calls of enqueue.lua that created ready jobs: the only script that runs INCRBY, once per call. */
    private long enqueueCalls() {
        long calls = 0;
        try (RedisNodes nodes = new RedisNodes(vertx)) {
            for (var info : nodes.sendToPrimaries("INFO", "commandstats")) {
                for (String line : info.toString().split("\r?\n")) {
                    if (line.startsWith("cmdstat_incrby:calls=")) {
                        calls += Long.parseLong(line.substring("cmdstat_incrby:calls=".length(), line.indexOf(',')));
                    }
                }
            }
        }
        return calls;
    }

    /** A server command on every node: on a cluster the test's queue may be on any primary. */
    private void onEveryNode(String command, String... args) {
        try (RedisNodes nodes = new RedisNodes(vertx)) {
            nodes.sendToEach(command, args);
        }
    }
}
