package dev.conveyor.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.conveyor.job.Job;
import dev.conveyor.job.JobStatus;
import dev.conveyor.testing.Jobs;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * progress.lua: a report is stored on its running job and sent as a job event, fenced by the lease token like an
 * outcome, so that nothing is stored for a job whose lease was lost or that already ended.
 */
@QuarkusTest
@TestProfile(StoreOnlyProfile.class)
class ProgressScriptTest {

    @Inject
    StoreSupport s;

    @Inject
    ProgressStore progress;

    @Inject
    KeySpace keys;

    @Inject
    RedisDataSource redis;

    final String queue = Jobs.uniqueQueue("progress");

    private int store(ClaimedJob job, String json) {
        return progress.store(List.of(new ProgressUpdate(job, json))).await().atMost(StoreSupport.CALL);
    }

    private void listen() {
        redis.value(String.class).set(keys.queue(queue).eventsListening(), "100");
    }

    /** The progress events in the queue's event stream (the other transitions send events too). */
    private List<Map<String, String>> events() {
        return redis.stream(String.class).xrange(keys.queue(queue).events(), StreamRange.of("-", "+")).stream()
                .map(StreamMessage::payload).filter(event -> event.containsKey("progress")).toList();
    }

    @Test
    void aReportIsStoredOnTheRunningJobAndSentAsAnEvent() {
        listen();
        Job job = s.enqueue(StoreSupport.echo(queue, 5));
        ClaimedJob claimed = s.claimOne(queue, job.id(), "w:1");

        assertThat(store(claimed, "{\"percent\":10,\"at\":1}")).isEqualTo(1);
        assertThat(store(claimed, "{\"percent\":40,\"details\":{\"rows\":400},\"at\":2}")).isEqualTo(1);

        assertThat(s.find(job.id()).progress()).isEqualTo("{\"percent\":40,\"details\":{\"rows\":400},\"at\":2}");
        assertThat(events()).containsExactly(
                Map.of("job", job.id().ulid(), "status", "running", "attempt", "1",
                        "progress", "{\"percent\":10,\"at\":1}"),
                Map.of("job", job.id().ulid(), "status", "running", "attempt", "1",
                        "progress", "{\"percent\":40,\"details\":{\"rows\":400},\"at\":2}"));
    }

    @Test
    void withNobodyListeningAReportIsStoredButNoEventWritten() {
        Job job = s.enqueue(StoreSupport.echo(queue, 5));
        ClaimedJob claimed = s.claimOne(queue, job.id(), "w:1");

        assertThat(store(claimed, "{\"percent\":10,\"at\":1}")).isEqualTo(1);

        assertThat(s.find(job.id()).progress()).isEqualTo("{\"percent\":10,\"at\":1}");
        assertThat(redis.key(String.class).exists(keys.queue(queue).events())).isFalse();
    }

    @Test
    void aReportAfterTheLeaseWasLostStoresNothing() {
        listen();
        Job job = s.enqueue(StoreSupport.echo(queue, 5));
        ClaimedJob lost = s.claimOne(queue, job.id(), Duration.ofMillis(1), "dead:1");
        Jobs.eventually().until(() -> s.reap(queue).requeued().size() == 1);
        ClaimedJob current = s.claimOne(queue, job.id(), "w:2");

        assertThat(store(lost, "{\"percent\":90,\"at\":1}")).isZero();
        assertThat(store(StoreSupport.withToken(current, "someone-else:1"), "{\"percent\":91,\"at\":2}")).isZero();

        assertThat(s.find(job.id()).progress()).isNull();
        assertThat(events()).isEmpty();
        // the holder of the lease still reports, in the same call as the others
        assertThat(progress.store(List.of(new ProgressUpdate(lost, "{\"percent\":92,\"at\":3}"),
                new ProgressUpdate(current, "{\"percent\":20,\"at\":4}"))).await().atMost(StoreSupport.CALL))
                .isEqualTo(1);
        assertThat(s.find(job.id()).progress()).isEqualTo("{\"percent\":20,\"at\":4}");
        assertThat(events()).extracting(event -> event.get("progress")).containsExactly("{\"percent\":20,\"at\":4}");
    }

    @Test
    void aReportAfterTheOutcomeStoresNothingAndTheLastOneStays() {
        listen();
        Job job = s.enqueue(StoreSupport.echo(queue, 5));
        ClaimedJob claimed = s.claimOne(queue, job.id(), "w:1");
        store(claimed, "{\"percent\":100,\"at\":1}");
        assertThat(s.complete(claimed, "{}")).isTrue();

        assertThat(store(claimed, "{\"percent\":50,\"at\":2}")).isZero();

        Job done = s.find(job.id());
        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.progress()).isEqualTo("{\"percent\":100,\"at\":1}");
        assertThat(events()).extracting(event -> event.get("progress")).containsOnly("{\"percent\":100,\"at\":1}");
    }

    @Test
    void reportsOfSeveralQueuesAreStoredInOneRoundTrip() {
        String other = Jobs.uniqueQueue("progress");
        Job first = s.enqueue(StoreSupport.echo(queue, 5));
        Job second = s.enqueue(StoreSupport.echo(other, 5));
        ClaimedJob a = s.claimOne(queue, first.id(), "w:1");
        ClaimedJob b = s.claimOne(other, second.id(), "w:2");

        assertThat(progress.store(List.of(new ProgressUpdate(a, "{\"percent\":1,\"at\":1}"),
                new ProgressUpdate(b, "{\"percent\":2,\"at\":1}"))).await().atMost(StoreSupport.CALL)).isEqualTo(2);

        assertThat(s.find(first.id()).progress()).isEqualTo("{\"percent\":1,\"at\":1}");
        assertThat(s.find(second.id()).progress()).isEqualTo("{\"percent\":2,\"at\":1}");
    }

    @Test
    void aRerunByHandClearsTheProgress() {
        Job job = s.enqueue(StoreSupport.job(queue, 5, 1, null));
        ClaimedJob claimed = s.claimOne(queue, job.id(), "w:1");
        store(claimed, "{\"percent\":70,\"at\":1}");
        assertThat(s.fail(claimed, "boom", null)).contains(JobStatus.FAILED);
        assertThat(s.find(job.id()).progress()).as("kept after the job ended").isNotNull();

        assertThat(s.rerun(job.id()).result()).isEqualTo(RerunOutcome.Result.QUEUED);

        assertThat(s.find(job.id()).progress()).isNull();
    }
}
