package dev.conveyor.queue;

import static dev.conveyor.queue.StoreSupport.CALL;
import static dev.conveyor.queue.StoreSupport.echo;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.conveyor.job.JobStatus;
import dev.conveyor.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Reads over many queues need more commands than one connection may have waiting (2048): they go as several
 * pipelines, and the answers come back in order.
 */
@QuarkusTest
@TestProfile(StoreOnlyProfile.class)
class ManyQueuesTest {

    @Inject
    StoreSupport s;

    @Inject
    QueueInspector inspector;

    @Test
    void countsAndStatsOfMoreQueuesThanOnePipelineHolds() {
        List<String> queues = new ArrayList<>();
        for (int i = 0; i < 400; i++) { // 2800 ZCARDs for the counts
            queues.add(Jobs.uniqueQueue("many"));
        }
        String last = queues.get(queues.size() - 1);
        s.enqueue(echo(last, 5));

        Map<String, Map<JobStatus, Long>> counts = inspector.counts(queues).await().atMost(CALL);
        List<QueueStats> stats = inspector.stats(queues, 60, 20).await().atMost(CALL);

        assertThat(counts).hasSize(400);
        assertThat(counts.get(last).get(JobStatus.QUEUED)).isEqualTo(1);
        assertThat(counts.get(queues.get(0)).values()).containsOnly(0L);
        assertThat(stats).extracting(QueueStats::queue).containsExactlyElementsOf(queues);
        assertThat(stats.get(399).byType()).containsEntry("echo", Map.of("enqueued", 1L));
        assertThat(stats.get(399).perMinute()).hasSize(60);
    }
}
