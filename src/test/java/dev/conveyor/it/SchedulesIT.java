package dev.conveyor.it;

import static dev.conveyor.it.Processes.env;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Schedules fire from every process there is, once per tick: two packaged API processes and two packaged workers
 * against one redis-server all run the firing loop, and an {@code every: PT1S} schedule still gives exactly one job
 * per second; with {@code overlap: skip}, a job longer than the interval never runs beside the next one.
 */
class SchedulesIT {

    private static final Logger LOG = Logger.getLogger(SchedulesIT.class);
    private static final Set<String> FINISHED = Set.of("succeeded", "failed", "cancelled");

    @RegisterExtension
    final Processes processes = new Processes();

    @Test
    @Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
    void fourProcessesFireOneJobPerTickAndOverlapSkipNeverRunsTwoAtOnce() throws Exception {
        RedisProcess redis = processes.startRedis();
        Map<String, String> env = env("CONVEYOR_WORKER_QUEUE_REFRESH", "200ms");
        List<AppProcess> apps = List.of(processes.startApi("api-1", redis, env), processes.startApi("api-2", redis, env),
                processes.startWorker("worker-1", redis, env), processes.startWorker("worker-2", redis, env));
        for (AppProcess app : apps) {
            app.awaitReady(Duration.ofSeconds(90));
        }
        AppProcess api1 = apps.get(0);
        AppProcess api2 = apps.get(1);

        // every second, for 10 seconds, with four processes firing
        Processes.Answer created = Processes.post(api1, "/schedules", "{\"name\":\"every-second\",\"every\":\"PT1S\","
                + "\"job\":{\"type\":\"echo\",\"queue\":\"ticks\",\"payload\":{\"n\":1}}}", Duration.ofSeconds(10));
        assertThat(created.status()).as(created.response().body()).isEqualTo(201);
        Instant start = Instant.parse(created.body().path("createdAt").asText());
        Instant end = start.plusSeconds(10);
        Awaitility.await("10 s of ticks").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> Instant.now().isAfter(end.plusMillis(500)));
        assertThat(Processes.post(api2, "/schedules/every-second/pause", "", Duration.ofSeconds(10)).status())
                .isEqualTo(200);

        List<JsonNode> jobs = jobs(api2, "ticks");
        List<Instant> ticks = jobs.stream().map(job -> Instant.parse(job.path("scheduledFor").asText())).sorted().toList();
        assertThat(jobs).allSatisfy(job -> assertThat(job.path("schedule").asText()).isEqualTo("every-second"));
        assertThat(ticks).as("one job per tick").doesNotHaveDuplicates();
        List<Instant> inWindow = ticks.stream().filter(tick -> tick.isAfter(start) && !tick.isAfter(end)).toList();
        LOG.infof("every-second: %d jobs, %d distinct ticks, %d in the 10 s after creation", jobs.size(),
                ticks.stream().distinct().count(), inWindow.size());
        assertThat(inWindow).as("jobs of the 10 s after the schedule was created").hasSizeBetween(9, 11);
        for (int i = 1; i < ticks.size(); i++) {
            assertThat(Duration.between(ticks.get(i - 1), ticks.get(i))).as("no tick lost").isEqualTo(Duration.ofSeconds(1));
        }

        // a 2.5 s job every second, skipped while the last one waits or runs
        Processes.Answer skipping = Processes.post(api1, "/schedules", "{\"name\":\"no-overlap\",\"every\":\"PT1S\","
                + "\"overlap\":\"skip\",\"job\":{\"type\":\"sleep\",\"queue\":\"slow\",\"payload\":{\"ms\":2500}}}",
                Duration.ofSeconds(10));
        assertThat(skipping.status()).as(skipping.response().body()).isEqualTo(201);
        Awaitility.await("three jobs fired").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> jobs(api1, "slow").size() >= 3);
        assertThat(Processes.post(api2, "/schedules/no-overlap/pause", "", Duration.ofSeconds(10)).status())
                .isEqualTo(200);
        Awaitility.await("every job finished").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> jobs(api1, "slow").stream().allMatch(job -> FINISHED.contains(job.path("status").asText())));
        List<JsonNode> slow = new ArrayList<>(jobs(api1, "slow"));
        slow.sort((a, b) -> a.path("startedAt").asText().compareTo(b.path("startedAt").asText()));
        for (int i = 1; i < slow.size(); i++) {
            Instant previousEnd = Instant.parse(slow.get(i - 1).path("finishedAt").asText());
            Instant nextStart = Instant.parse(slow.get(i).path("startedAt").asText());
            assertThat(nextStart).as("job %d starts after job %d ended", i, i - 1).isAfterOrEqualTo(previousEnd);
        }
        LOG.infof("no-overlap: %d jobs of 2.5 s, none overlapping", slow.size());
        JsonNode schedule = Processes.get(api2, "/schedules/no-overlap").body();
        assertThat(schedule.path("paused").asBoolean()).isTrue();
    }

    private static List<JsonNode> jobs(AppProcess api, String queue) throws Exception {
        Processes.Answer answer = Processes.get(api, "/jobs?queue=" + queue + "&limit=500");
        assertThat(answer.status()).isEqualTo(200);
        List<JsonNode> jobs = new ArrayList<>();
        answer.body().path("jobs").forEach(jobs::add);
        return jobs;
    }
}
