package dev.conveyor.worker;

import static dev.conveyor.testing.Jobs.FIRST_PICKUP;
import static dev.conveyor.testing.Jobs.awaitJob;
import static dev.conveyor.testing.Jobs.enqueue;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.conveyor.handler.JobContext;
import dev.conveyor.handler.JobHandler;
import dev.conveyor.job.Job;
import dev.conveyor.job.JobStatus;
import dev.conveyor.job.NewJob;
import dev.conveyor.queue.Enqueued;
import dev.conveyor.queue.JobStore;
import dev.conveyor.queue.QueueInspector;
import dev.conveyor.testing.Jobs;
import io.quarkus.arc.lookup.LookupIfProperty;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.smallrye.mutiny.Uni;

/**
 * Progress through the real worker: the {@code sleep} job's reports show on {@code GET /jobs/{id}} while it runs and
 * reach the queue's event stream in order, and a handler that reports in a tight loop causes only a few writes.
 */
@QuarkusTest
@TestProfile(JobProgressTest.WithChattyHandler.class)
class JobProgressTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CALL = Duration.ofSeconds(5);

    /** Runs the {@code chatty} job type of this test too (other tests' apps do not know it). */
    public static class WithChattyHandler implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(CHATTY, "true");
        }
    }

    static final String CHATTY = "conveyor-test.chatty-handler";

    /** {@code chatty}: reports progress {@code reports} times as fast as it can, then 100. */
    @LookupIfProperty(name = CHATTY, stringValue = "true")
    @Singleton
    public static class ChattyHandler implements JobHandler<ChattyHandler.Steps, ChattyHandler.Steps> {

        public record Steps(int reports) {
        }

        @Override
        public String type() {
            return "chatty";
        }

        @Override
        public Class<Steps> payloadType() {
            return Steps.class;
        }

        @Override
        public Uni<Steps> handle(Steps payload, JobContext context) {
            for (int i = 0; i < payload.reports(); i++) {
                context.progress(i * 100 / payload.reports(), Map.of("step", i));
            }
            context.progress(100, Map.of("step", payload.reports()));
            return Uni.createFrom().item(payload);
        }

        @Override
        public String examplePayload() {
            return "{\"reports\": 1000}";
        }
    }

    @Inject
    RedisDataSource redis;

    @Inject
    JobStore store;

    @Inject
    QueueInspector inspector;

    @Inject
    WorkerConfig config;

    private void listen(String queue) {
        redis.value(String.class).set("conveyor:{" + queue + "}:events:listening", "100");
    }

    /** The progress reports in the queue's event stream, oldest first. */
    private List<JsonNode> progressEvents(String queue) throws Exception {
        List<JsonNode> reports = new ArrayList<>();
        for (StreamMessage<String, String, String> event : redis.stream(String.class)
                .xrange("conveyor:{" + queue + "}:events", StreamRange.of("-", "+"))) {
            String progress = event.payload().get("progress");
            if (progress != null) {
                reports.add(JSON.readTree(progress));
            }
        }
        return reports;
    }

    @Test
    void aSleepJobShowsGrowingProgressWhileItRunsAndOneHundredAtTheEnd() throws Exception {
        String queue = uniqueQueue("progress");
        listen(queue);
        // the first read of a job is slow (the test's OpenAPI validation warms up): not while the sleep runs
        Jobs.job(Jobs.enqueueWaiting(queue));
        String id = enqueue(Map.of("type", "sleep", "queue", queue, "payload", Map.of("ms", 1500)));

        List<Integer> seenWhileRunning = new ArrayList<>();
        JsonPath done = awaitJob(id, FIRST_PICKUP, job -> {
            Integer percent = job.get("progress.percent");
            if ("running".equals(job.getString("status")) && percent != null
                    && (seenWhileRunning.isEmpty() || !percent.equals(seenWhileRunning.get(seenWhileRunning.size() - 1)))) {
                seenWhileRunning.add(percent);
            }
            return "succeeded".equals(job.getString("status"));
        });

        assertThat(seenWhileRunning).as("percentages seen while running").hasSizeGreaterThanOrEqualTo(2)
                .isSorted().allMatch(percent -> percent >= 0 && percent < 100);
        assertThat(done.getInt("progress.percent")).isEqualTo(100);
        Instant updated = Instant.parse(done.getString("progress.updatedAt"));
        assertThat(updated).isBetween(Instant.parse(done.getString("startedAt")),
                Instant.parse(done.getString("finishedAt")).plusMillis(50));
        assertThat(done.getMap("progress")).containsOnlyKeys("percent", "updatedAt");

        List<Integer> streamed = progressEvents(queue).stream().map(report -> report.get("percent").asInt()).toList();
        assertThat(streamed).as("progress events").isSorted().endsWith(100);
        // the sleep reports every 100 ms; stored at most every progress-interval, plus the last one at the end
        long most = 1500 / config.progressInterval().toMillis() + 2;
        assertThat(streamed).as("progress events").hasSizeBetween(3, (int) most);
    }

    @Test
    void aThousandReportsInATightLoopAreCoalescedIntoAFewWrites() throws Exception {
        String queue = uniqueQueue("chatty");
        listen(queue);
        List<Enqueued> enqueued = store.enqueue(List.of(new NewJob("chatty", queue, 5, "{\"reports\": 1000}", 1,
                null, null, null, null, null))).await().atMost(CALL);
        var id = enqueued.get(0).job().id();

        Jobs.eventually().atMost(FIRST_PICKUP).until(() -> inspector.find(id).await().atMost(CALL)
                .map(Job::status).orElseThrow() == JobStatus.SUCCEEDED);

        List<JsonNode> events = progressEvents(queue);
        assertThat(events).as("progress events of 1001 reports").hasSizeBetween(1, 5);
        assertThat(events.get(events.size() - 1).toString()).contains("\"percent\":100,\"details\":{\"step\":1000}");
        String stored = inspector.find(id).await().atMost(CALL).orElseThrow().progress();
        assertThat(JSON.readTree(stored).get("details").get("step").asInt()).isEqualTo(1000);
        assertThat(JSON.readTree(stored).get("percent").asInt()).isEqualTo(100);
    }
}
