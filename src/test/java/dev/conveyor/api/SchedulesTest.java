package dev.conveyor.api;

import static dev.conveyor.testing.Jobs.post;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static dev.conveyor.testing.Problems.assertInvalid;
import static dev.conveyor.testing.Problems.assertProblem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.conveyor.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** The schedules API: its life cycle, its refusals, and the jobs its ticks fire in this process. */
@QuarkusTest
class SchedulesTest {

    private static Map<String, Object> schedule(String name, String queue, Object... more) {
        Map<String, Object> body = new HashMap<>(Map.of("cron", "0 2 * * *", "timezone", "Europe/Berlin",
                "job", Map.of("type", "echo", "queue", queue, "payload", Map.of("n", 1))));
        if (name != null) {
            body.put("name", name);
        }
        for (int i = 0; i < more.length; i += 2) {
            if (more[i + 1] == null) {
                body.remove((String) more[i]);
            } else {
                body.put((String) more[i], more[i + 1]);
            }
        }
        return body;
    }

    private static String name() {
        return uniqueQueue("s");
    }

    @Test
    void aScheduleIsCreatedReadListedReplacedPausedResumedAndDeleted() {
        String name = name();
        String queue = uniqueQueue();
        JsonPath created = post("/schedules", schedule(name, queue)).then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.endsWith("/schedules/" + name))
                .body("name", equalTo(name)).body("cron", equalTo("0 2 * * *")).body("every", nullValue())
                .body("timezone", equalTo("Europe/Berlin")).body("overlap", equalTo("allow"))
                .body("catchUp", equalTo("none")).body("paused", equalTo(false)).body("lastRun", nullValue())
                .body("job.type", equalTo("echo")).body("job.queue", equalTo(queue)).body("job.payload.n", equalTo(1))
                .body("nextRuns", hasSize(3))
                .extract().jsonPath();
        List<String> nextRuns = created.getList("nextRuns");
        // 02:00 on Berlin's wall clock, with Berlin's offset of that day
        assertThat(nextRuns).allSatisfy(run -> assertThat(OffsetDateTime.parse(run).toLocalTime().toString())
                .isEqualTo("02:00"));
        assertThat(nextRuns).allSatisfy(run -> assertThat(run).matches(".*T02:00:00\\+0[12]:00"));
        assertThat(Instant.parse(created.getString("createdAt"))).isEqualTo(created.getString("updatedAt"))
                .isBeforeOrEqualTo(Instant.now());

        given().when().get("/schedules/" + name).then().statusCode(200).body("name", equalTo(name));
        given().when().get("/schedules").then().statusCode(200).body("schedules.name", hasItem(name));

        given().contentType(ContentType.JSON).body(schedule(null, queue, "cron", null, "every", "PT15M",
                "overlap", "skip", "catchUp", "latest"))
                .when().put("/schedules/" + name).then().statusCode(200)
                .body("every", equalTo("PT15M")).body("cron", nullValue()).body("overlap", equalTo("skip"))
                .body("catchUp", equalTo("latest")).body("createdAt", equalTo(created.getString("createdAt")));

        given().when().post("/schedules/" + name + "/pause").then().statusCode(200)
                .body("paused", equalTo(true)).body("nextRuns", hasSize(0));
        given().when().get("/schedules/" + name).then().body("paused", equalTo(true));
        JsonPath resumed = given().when().post("/schedules/" + name + "/resume").then().statusCode(200)
                .body("paused", equalTo(false)).body("nextRuns", hasSize(3)).extract().jsonPath();
        assertThat(OffsetDateTime.parse(resumed.getString("nextRuns[0]")).toInstant()).isAfter(Instant.now())
                .isBefore(Instant.now().plusSeconds(15 * 60 + 1));

        given().when().delete("/schedules/" + name).then().statusCode(204);
        assertProblem(given().when().get("/schedules/" + name).then(), 404);
        given().when().get("/schedules").then().body("schedules.name", org.hamcrest.Matchers.not(hasItem(name)));
    }

    @Test
    void putCreatesAScheduleThatDoesNotExist() {
        String name = name();
        given().contentType(ContentType.JSON).body(schedule(null, uniqueQueue()))
                .when().put("/schedules/" + name).then().statusCode(201).body("name", equalTo(name));
        given().when().delete("/schedules/" + name).then().statusCode(204);
    }

    @Test
    void aTakenNameIsAConflict() {
        String name = name();
        post("/schedules", schedule(name, uniqueQueue())).then().statusCode(201);
        assertProblem(post("/schedules", schedule(name, uniqueQueue())).then(), 409)
                .body("type", equalTo("https://conveyor.dev/problems/schedule-exists"));
        given().when().delete("/schedules/" + name).then().statusCode(204);
    }

    @Test
    void unknownSchedulesAre404() {
        for (String path : List.of("/schedules/nothing-here", "/schedules/not%20a%20name")) {
            assertProblem(given().when().get(path).then(), 404);
            assertProblem(given().when().delete(path).then(), 404);
            assertProblem(given().when().post(path + "/pause").then(), 404);
            assertProblem(given().when().post(path + "/resume").then(), 404);
        }
    }

    @Test
    void badFieldsAre422NamingEachField() {
        String queue = uniqueQueue();
        assertInvalid(post("/schedules", schedule(name(), queue, "cron", "61 * * * *")).then(), "cron");
        assertInvalid(post("/schedules", schedule(name(), queue, "cron", "0 0 30 2 *")).then(), "cron")
                .body("errors[0].message", equalTo("never fires"));
        assertInvalid(post("/schedules", schedule(name(), queue, "cron", "0 0 0 * * *")).then(), "cron");
        assertInvalid(post("/schedules", schedule(name(), queue, "every", "PT1M")).then(), "every");
        assertInvalid(post("/schedules", schedule(name(), queue, "cron", null)).then(), "cron");
        assertInvalid(post("/schedules", schedule(name(), queue, "cron", null, "every", "PT0.5S")).then(), "every")
                .body("errors[0].message", equalTo("must be at least PT1S (conveyor.schedules.min-interval)"));
        assertInvalid(post("/schedules", schedule(name(), queue, "cron", null, "every", "soon")).then(), "every");
        assertInvalid(post("/schedules", schedule(name(), queue, "timezone", "Mars/Olympus")).then(), "timezone");
        assertInvalid(post("/schedules", schedule(name(), queue, "overlap", "sometimes")).then(), "overlap");
        assertInvalid(post("/schedules", schedule(name(), queue, "catchUp", "all")).then(), "catchUp");
        assertInvalid(post("/schedules", schedule("no spaces", queue)).then(), "name");
        assertInvalid(post("/schedules", schedule(null, queue)).then(), "name");
        assertInvalid(post("/schedules", schedule(name(), queue, "job", null)).then(), "job");
        assertInvalid(post("/schedules", schedule(name(), queue, "job", Map.of("type", "no-such-type"))).then(),
                "job.type");
        assertInvalid(post("/schedules", schedule(name(), queue, "job", Map.of("type", "echo", "queue", "Bad Queue")))
                .then(), "job.queue");
        assertInvalid(post("/schedules", schedule(name(), queue, "job", Map.of("type", "echo", "delay", "PT1M")))
                .then(), "job.delay");
        assertInvalid(post("/schedules", schedule(name(), queue, "job", Map.of("type", "echo",
                "runAt", "2030-01-01T00:00:00Z"))).then(), "job.runAt");
        assertInvalid(post("/schedules", schedule(name(), queue, "job", Map.of("type", "echo",
                "idempotencyKey", "k"))).then(), "job.idempotencyKey");
        assertInvalid(given().contentType(ContentType.JSON).body(schedule("other", queue))
                .when().put("/schedules/" + name()).then(), "name");
        // several at once
        assertInvalid(post("/schedules", schedule(name(), queue, "cron", "nope", "timezone", "Nowhere")).then(), "cron")
                .body("errors.field", hasItem("timezone"));
        given().when().get("/schedules").then().statusCode(200);
    }

    @Test
    void anIntervalScheduleFiresOneJobPerTickCarryingItsScheduleAndTick() {
        String name = name();
        String queue = uniqueQueue();
        post("/schedules", schedule(name, queue, "cron", null, "every", "PT1S")).then().statusCode(201);
        try {
            Jobs.eventually().until(() -> Jobs.listAll(Map.of("queue", queue)).size() >= 3);
        } finally {
            given().when().delete("/schedules/" + name).then().statusCode(204);
        }
        List<Map<String, Object>> jobs = Jobs.listAll(Map.of("queue", queue));
        assertThat(jobs).allSatisfy(job -> assertThat(job.get("schedule")).isEqualTo(name));
        List<Object> ticks = jobs.stream().map(job -> job.get("scheduledFor")).toList();
        assertThat(ticks).doesNotHaveDuplicates().doesNotContainNull();

        String id = (String) jobs.get(0).get("id");
        JsonPath job = Jobs.job(id);
        assertThat(job.getString("schedule")).isEqualTo(name);
        assertThat(Instant.parse(job.getString("scheduledFor"))).isBeforeOrEqualTo(Instant.parse(job.getString("createdAt")));
    }

    @Test
    void theLastRunNamesTheJobFired() {
        String name = name();
        String queue = uniqueQueue();
        post("/schedules", schedule(name, queue, "cron", null, "every", "PT1S")).then().statusCode(201);
        try {
            Jobs.eventually().until(() -> given().when().get("/schedules/" + name).path("lastRun.jobId") != null);
            JsonPath schedule = given().when().get("/schedules/" + name).then().statusCode(200).extract().jsonPath();
            String jobId = schedule.getString("lastRun.jobId");
            assertThat(jobId).startsWith(queue + ".");
            assertThat(schedule.getString("lastRun.skipped")).isNull();
            assertThat(Jobs.job(jobId).getString("scheduledFor")).isEqualTo(schedule.getString("lastRun.scheduledFor"));
        } finally {
            given().when().delete("/schedules/" + name).then().statusCode(204);
        }
    }
}
