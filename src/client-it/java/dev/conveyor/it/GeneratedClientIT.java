package dev.conveyor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.conveyor.client.ApiClient;
import dev.conveyor.client.api.JobsApi;
import dev.conveyor.client.model.Job;
import dev.conveyor.client.model.JobRequest;
import dev.conveyor.client.model.ResultView;
import dev.conveyor.testing.WitnessServer;

/**
 * What a user does with the OpenAPI document: a Java client generated from it (openapi-generator, see the pom)
 * enqueues a job of each built-in type against the packaged application, reads the job back and reads its result.
 * It lives in src/client-it/java: it compiles only once the client is generated, just before the ITs run.
 */
class GeneratedClientIT {

    private static final Duration FINISHED = Duration.ofSeconds(60);

    @RegisterExtension
    final Processes processes = new Processes();

    @Test
    void eachJobTypeIsEnqueuedReadBackAndItsResultRead() throws Exception {
        RedisProcess redis = processes.startRedis();
        AppProcess app = processes.start("all", AppProcess.Role.ALL, redis, Processes.env(
                // packaged jars check API keys; this test is about the document, not access control
                "CONVEYOR_AUTH_ENABLED", "false",
                // the http job calls the witness server on loopback, which is blocked by default
                "CONVEYOR_HTTP_ALLOWED_NETWORKS", "127.0.0.1/32"));
        app.awaitReady(Duration.ofSeconds(90));
        ApiClient client = new ApiClient();
        client.updateBaseUri(app.api("").toString());
        JobsApi jobs = new JobsApi(client);

        Map<String, Object> echo = run(jobs, JobRequest.TypeEnum.ECHO,
                Map.of("message", "hello", "n", List.of(1, 2)));
        assertThat(echo).containsEntry("message", "hello").containsEntry("n", List.of(1, 2));

        Map<String, Object> sleep = run(jobs, JobRequest.TypeEnum.SLEEP, Map.of("ms", 10));
        assertThat(sleep).containsKey("sleptMs");

        Map<String, Object> primes = run(jobs, JobRequest.TypeEnum.PRIMES,
                Map.of("lowest", 1, "highest", 100));
        assertThat(primes).containsEntry("count", 25);

        try (WitnessServer server = WitnessServer.start()) {
            Map<String, Object> http = run(jobs, JobRequest.TypeEnum.HTTP,
                    Map.of("method", "GET", "url", "http://127.0.0.1:" + server.port() + "/hook"));
            assertThat(http).containsEntry("status", 200).containsEntry("body", "ok");
            assertThat(server.requests()).isEqualTo(1);
        }
    }

    /** Enqueues one job with the client, reads it back until it succeeded, and answers its result as read. */
    private static Map<String, Object> run(JobsApi jobs, JobRequest.TypeEnum type, Map<String, Object> payload)
            throws Exception {
        Job created = jobs.jobsPost(new JobRequest().type(type).payload(payload), null);
        assertThat(created.getType()).isEqualTo(type.getValue());
        assertThat(created.getStatus()).isEqualTo(Job.StatusEnum.QUEUED);
        assertThat(created.getPayload()).isEqualTo(payload);

        Job[] last = new Job[1];
        Awaitility.await(type + " job " + created.getId()).atMost(FINISHED).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    last[0] = jobs.jobsIdGet(created.getId());
                    return last[0].getFinishedAt() != null;
                });
        assertThat(last[0].getStatus()).as(() -> "job " + last[0]).isEqualTo(Job.StatusEnum.SUCCEEDED);

        ResultView result = jobs.jobsIdResultGet(created.getId());
        assertThat(result.getId()).isEqualTo(created.getId());
        assertThat(result.getResult()).isEqualTo(last[0].getResult()).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> answer = (Map<String, Object>) result.getResult();
        return answer;
    }
}
