package dev.conveyor.queue;

import static dev.conveyor.queue.StoreSupport.echo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.conveyor.testing.Jobs;
import dev.conveyor.testing.RedisNodes;
import io.quarkus.redis.client.RedisClientName;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.redis.client.Redis;

/**
 * The idle wait on a cluster, where each queue has its own blocking pop: a pop kept from an earlier, shorter wait ends
 * on its own timeout in the middle of the next wait, and its queue must still be heard for the rest of that wait.
 */
@QuarkusTest
@TestProfile(StoreOnlyProfile.class)
class WakeUpsTest {

    @Inject
    @RedisClientName("blocking")
    Redis blocking;

    @Inject
    JobStore store;

    @Inject
    RedisCalls calls;

    @Inject
    StoreSupport s;

    @Test
    void aQueueWhosePopEndedMidWaitStillWakesTheWait() throws Exception {
        assumeTrue(RedisNodes.cluster(), "one pop covers every queue on a single Redis");
        WakeUps wakeUps = new WakeUps(blocking, store, calls);
        String early = Jobs.uniqueQueue("wake-early");
        String other = Jobs.uniqueQueue("wake-other");
        try {
            CompletableFuture<Boolean> shortWait = wakeUps.await(List.of(early), Duration.ofMillis(300))
                    .subscribeAsCompletionStage();
            CompletableFuture<Boolean> longWait = wakeUps.await(List.of(early, other), Duration.ofSeconds(8))
                    .subscribeAsCompletionStage();
            assertThat(shortWait.get(5, TimeUnit.SECONDS)).as("the short wait saw no work").isFalse();
            assertThat(longWait).as("the long wait goes on after the kept pop ended").isNotDone();

            long enqueued = System.nanoTime();
            s.enqueueAll(List.of(echo(early, 5)));
            assertThat(longWait.get(5, TimeUnit.SECONDS)).as("woken by the job").isTrue();
            long heardAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - enqueued);
            assertThat(heardAfterMs).as("ms from the enqueue to the wake-up").isLessThan(1000);
        } finally {
            wakeUps.drop();
        }
    }
}
