package dev.conveyor.schedule;

import static dev.conveyor.testing.Jobs.post;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.conveyor.testing.Jobs;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The firing loop's decisions, in process: after an outage (a tick left 10 minutes behind in Redis) catchUp latest
 * fires the latest missed tick once and catchUp none fires nothing; overlap skip records the ticks it skipped. The
 * misfire grace is 1 s here, so that a minutely cron's latest tick counts as missed.
 */
@QuarkusTest
@TestProfile(ScheduleFiringTest.ShortGrace.class)
class ScheduleFiringTest {

    public static class ShortGrace implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("conveyor.schedules.misfire-grace", "1s");
        }
    }

    private static final String DUE = "conveyor:{schedules}:due";

    @Inject
    RedisDataSource redis;

    @Test
    void afterAnOutageCatchUpLatestFiresTheLatestMissedTickOnceAndNoneFiresNothing() {
        String latest = uniqueQueue("s");
        String none = uniqueQueue("s");
        for (String name : List.of(latest, none)) {
            post("/schedules", Map.of("name", name, "cron", "* * * * *", "catchUp", name.equals(latest) ? "latest" : "none",
                    "job", Map.of("type", "echo", "queue", name))).then().statusCode(201);
        }
        // as if every process had been down for 10 minutes
        Instant behind = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(10, ChronoUnit.MINUTES);
        redis.sortedSet(String.class).zadd(DUE, behind.toEpochMilli(), latest);
        redis.sortedSet(String.class).zadd(DUE, behind.toEpochMilli(), none);
        try {
            Jobs.eventually().until(() -> given().get("/schedules/" + latest).path("lastRun.jobId") != null
                    && given().get("/schedules/" + none).path("lastRun.skipped") != null);
            Instant missed = Instant.parse(given().get("/schedules/" + none).path("lastRun.scheduledFor"));
            assertThat(given().get("/schedules/" + none).<String>path("lastRun.skipped")).isEqualTo("missed");
            assertThat(missed).isAfter(behind);

            List<Map<String, Object>> fired = Jobs.listAll(Map.of("queue", latest));
            List<Instant> ticks = fired.stream().map(job -> Instant.parse((String) job.get("scheduledFor"))).toList();
            assertThat(ticks).as("one late job, not ten").hasSizeBetween(1, 2).doesNotHaveDuplicates()
                    .allSatisfy(tick -> assertThat(tick).isAfterOrEqualTo(missed));
            assertThat(Jobs.listAll(Map.of("queue", none))).extracting(job -> Instant.parse((String) job.get("scheduledFor")))
                    .as("no missed tick fires with catchUp none").allSatisfy(tick -> assertThat(tick).isAfter(missed));
        } finally {
            given().delete("/schedules/" + latest).then().statusCode(204);
            given().delete("/schedules/" + none).then().statusCode(204);
        }
    }

    @Test
    void overlapSkipRecordsTheTicksItSkips() {
        String name = uniqueQueue("s");
        post("/schedules", Map.of("name", name, "every", "PT1S", "overlap", "skip",
                "job", Map.of("type", "sleep", "queue", name, "payload", Map.of("ms", 3000)))).then().statusCode(201);
        try {
            Jobs.eventually().until(() -> "overlap".equals(given().get("/schedules/" + name).path("lastRun.skipped")));
            assertThat(Jobs.listAll(Map.of("queue", name))).as("one job running, the next ticks skipped").hasSize(1);
        } finally {
            given().delete("/schedules/" + name).then().statusCode(204);
        }
    }
}
