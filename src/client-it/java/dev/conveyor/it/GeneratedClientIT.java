package dev.conveyor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.conveyor.client.ApiClient;
import dev.conveyor.client.api.JobsApi;
import dev.conveyor.client.model.EchoJobRequest;
import dev.conveyor.client.model.GenerateReportJobRequest;
import dev.conveyor.client.model.GenerateReportPayload;
import dev.conveyor.client.model.GenerateReportResult;
import dev.conveyor.client.model.HttpJobRequest;
import dev.conveyor.client.model.HttpPayload;
import dev.conveyor.client.model.HttpResult;
import dev.conveyor.client.model.Job;
import dev.conveyor.client.model.JobRequest;
import dev.conveyor.client.model.PrimesJobRequest;
import dev.conveyor.client.model.PrimesPayload;
import dev.conveyor.client.model.PrimesResult;
import dev.conveyor.client.model.ResultView;
import dev.conveyor.client.model.SleepJobRequest;
import dev.conveyor.client.model.SleepPayload;
import dev.conveyor.client.model.SleepResult;
import dev.conveyor.testing.WitnessServer;

/**
 * What a user does with the OpenAPI document: a Java client generated from it (openapi-generator, see the pom)
 * enqueues a job of each built-in type against the packaged application, reads the job back and reads its result
 * as the type's result schema says (and a report's file from its artifact). It lives in src/client-it/java: it compiles only once the client is generated,
 * just before the ITs run.
 */
class GeneratedClientIT {

    private static final Duration FINISHED = Duration.ofSeconds(60);

    @RegisterExtension
    final Processes processes = new Processes();

    private ApiClient client;
    private JobsApi jobs;
    /** The id of the job {@link #run} ran last. */
    private String lastJobId;

    @Test
    void eachJobTypeIsEnqueuedReadBackAndItsResultRead() throws Exception {
        RedisProcess redis = processes.startRedis();
        AppProcess app = processes.start("all", AppProcess.Role.ALL, redis, Processes.env(
                // packaged jars check API keys; this test is about the document, not access control
                "CONVEYOR_AUTH_ENABLED", "false",
                // the http job calls the witness server on loopback, which is blocked by default
                "CONVEYOR_HTTP_ALLOWED_NETWORKS", "127.0.0.1/32"));
        app.awaitReady(Duration.ofSeconds(90));
        client = new ApiClient();
        client.updateBaseUri(app.api("").toString());
        jobs = new JobsApi(client);

        Object echo = run(new JobRequest(new EchoJobRequest().type(EchoJobRequest.TypeEnum.ECHO)
                .payload(Map.of("message", "hello", "n", List.of(1, 2)))));
        assertThat(echo).isEqualTo(Map.of("message", "hello", "n", List.of(1, 2)));

        SleepResult sleep = as(run(new JobRequest(new SleepJobRequest().type(SleepJobRequest.TypeEnum.SLEEP)
                .payload(new SleepPayload().ms(10L)))), SleepResult.class);
        assertThat(sleep.getSleptMs()).isGreaterThanOrEqualTo(10L);
        assertThat(sleep.getAttempt()).isEqualTo(1);

        PrimesResult primes = as(run(new JobRequest(new PrimesJobRequest().type(PrimesJobRequest.TypeEnum.PRIMES)
                .payload(new PrimesPayload().lowest(1L).highest(100L)))), PrimesResult.class);
        assertThat(primes.getCount()).isEqualTo(25);
        assertThat(primes.getPrimes()).startsWith(2L, 3L, 5L).endsWith(97L);

        try (WitnessServer server = WitnessServer.start()) {
            HttpResult http = as(run(new JobRequest(new HttpJobRequest().type(HttpJobRequest.TypeEnum.HTTP)
                    .payload(new HttpPayload().method(HttpPayload.MethodEnum.GET)
                            .url(URI.create("http://127.0.0.1:" + server.port() + "/hook"))))), HttpResult.class);
            assertThat(http.getStatus()).isEqualTo(200);
            assertThat(http.getBody()).isEqualTo("ok");
            assertThat(server.requests()).isEqualTo(1);
        }

        GenerateReportResult report = as(run(new JobRequest(new GenerateReportJobRequest()
                .type(GenerateReportJobRequest.TypeEnum.GENERATE_REPORT)
                .payload(new GenerateReportPayload().format(GenerateReportPayload.FormatEnum.CSV).title("Sales")
                        .columns(List.of("Region", "Orders")).rows(List.of(List.of("North, upper", 1200)))))),
                GenerateReportResult.class);
        assertThat(report.getRows()).isEqualTo(1);
        assertThat(report.getArtifact().getName()).isEqualTo("Sales.csv");
        File file = jobs.getJobArtifact(lastJobId);
        assertThat(Files.readString(file.toPath())).isEqualTo("Region,Orders\r\n\"North, upper\",1200\r\n");
    }

    /** Enqueues one job with the client, reads it back until it succeeded, and answers its result as read. */
    private Object run(JobRequest request) throws Exception {
        Job created = jobs.enqueueJob(request, null, null);
        lastJobId = created.getId();
        assertThat(created.getStatus()).isEqualTo(Job.StatusEnum.QUEUED);

        Job[] last = new Job[1];
        Awaitility.await(created.getType() + " job " + created.getId()).atMost(FINISHED)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    last[0] = jobs.getJob(created.getId());
                    return last[0].getFinishedAt() != null;
                });
        assertThat(last[0].getStatus()).as(() -> "job " + last[0]).isEqualTo(Job.StatusEnum.SUCCEEDED);
        assertThat(last[0].getPayload()).isEqualTo(created.getPayload());

        // the job is finished: a wait answers at once; a generated client passes wait like any query parameter
        ResultView result = jobs.getJobResult(created.getId(), "PT10S");
        assertThat(result.getId()).isEqualTo(created.getId());
        assertThat(result.getResult()).isEqualTo(last[0].getResult());
        return result.getResult();
    }

    /** A result as the model class of its job type's result schema. */
    private <T> T as(Object result, Class<T> type) {
        return client.getObjectMapper().convertValue(result, type);
    }
}
