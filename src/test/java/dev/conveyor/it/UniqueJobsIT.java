package dev.conveyor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A unique key holds across API processes: 50 client threads, half on each of two packaged API processes sharing one
 * Redis, enqueue a job with the same key at once. One job is created; the 49 other answers are 200 with that job.
 * Once a worker process has run it (it left its scope), the key is free and the next enqueue creates a job.
 */
class UniqueJobsIT {

    private static final String QUEUE = "nightly";
    private static final String JOB = "{\"type\":\"sleep\",\"queue\":\"" + QUEUE + "\",\"payload\":{\"ms\":500},"
            + "\"unique\":{\"key\":\"rebuild-report\",\"scope\":\"active\"}}";
    private static final int CLIENTS = 50;

    @RegisterExtension
    final Processes processes = new Processes();

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void fiftyConcurrentEnqueuesOverTwoApiProcessesMakeOneJob() throws Exception {
        RedisProcess redis = processes.startRedis();
        List<AppProcess> apis = List.of(processes.startApi("api-a", redis, Processes.env()),
                processes.startApi("api-b", redis, Processes.env()));
        AppProcess worker = processes.startWorker("worker", redis, Processes.env());
        for (AppProcess api : apis) {
            api.awaitReady(Duration.ofSeconds(90));
        }
        worker.awaitReady(Duration.ofSeconds(90));

        List<Processes.Answer> answers = enqueueAtOnce(apis);

        assertThat(answers).extracting(Processes.Answer::status).filteredOn(status -> status == 201).hasSize(1);
        assertThat(answers).extracting(Processes.Answer::status).filteredOn(status -> status == 200).hasSize(49);
        List<String> ids = answers.stream().map(answer -> answer.body().path("id").asText()).toList();
        assertThat(ids).as("every answer names the one job").containsOnly(ids.get(0));
        assertThat(answers).filteredOn(answer -> answer.status() == 200)
                .allSatisfy(answer -> assertThat(answer.response().headers().firstValue("Conveyor-Existing"))
                        .contains("unique"));
        try (RedisClient client = redis.connect()) {
            assertThat(client.zcard(Processes.queueKey(QUEUE, "all"))).as("jobs in the queue").isEqualTo(1);
        }

        String id = ids.get(0);
        Awaitility.await("job " + id + " succeeded").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> "succeeded".equals(Processes.get(apis.get(1), "/jobs/" + id).body().path("status")
                        .asText()));
        Processes.Answer next = Processes.post(apis.get(1), "/jobs", JOB, Duration.ofSeconds(10));
        assertThat(next.status()).as("the key is free once its job succeeded: %s", next.body()).isEqualTo(201);
        assertThat(next.body().path("id").asText()).isNotEqualTo(id);
    }

    /** {@link #CLIENTS} threads, spread over the API processes, each sends the job once, all released together. */
    private static List<Processes.Answer> enqueueAtOnce(List<AppProcess> apis) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Processes.Answer>> sent = new ArrayList<>();
        try {
            for (int i = 0; i < CLIENTS; i++) {
                AppProcess api = apis.get(i % apis.size());
                HttpRequest.Builder request = Processes.asAdmin(api, "/jobs", Duration.ofSeconds(20))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JOB));
                sent.add(threads.submit(() -> {
                    start.await();
                    return Processes.send(request);
                }));
            }
            start.countDown();
            List<Processes.Answer> answers = new ArrayList<>();
            for (Future<Processes.Answer> answer : sent) {
                answers.add(answer.get(60, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            threads.shutdownNow();
        }
    }
}
