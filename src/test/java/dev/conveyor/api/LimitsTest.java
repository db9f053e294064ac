package dev.conveyor.api;

import static dev.conveyor.testing.Jobs.awaitFinished;
import static dev.conveyor.testing.Jobs.enqueue;
import static dev.conveyor.testing.Jobs.listAll;
import static dev.conveyor.testing.Jobs.post;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static dev.conveyor.testing.Problems.assertInvalid;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.conveyor.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Every size and time a client controls has a limit: payloads, results, schedules, timeouts, sleeps, list pages. */
@QuarkusTest
@TestProfile(LimitsTest.SmallLimits.class)
class LimitsTest {

    /** Small limits where the defaults would need megabytes of test data; the payload limit keeps its default. */
    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("conveyor.worker.max-result-size", "1K",
                    "conveyor.api.max-timeout", "PT1H",
                    "conveyor.handler.max-sleep", "1m",
                    "conveyor.api.max-page-bytes", "100K");
        }
    }

    private static final int PAYLOAD_LIMIT = 64 * 1024;

    private static Map<String, Object> echoOf(String queue, int chars) {
        return Map.of("type", "echo", "queue", queue, "delay", "PT1H", "payload", Map.of("m", "x".repeat(chars)));
    }

    @Test
    void aPayloadOverTheLimitIsRefusedNamingIt() {
        assertInvalid(post("/jobs", echoOf(uniqueQueue(), PAYLOAD_LIMIT)).then(), "payload");
        enqueue(echoOf(uniqueQueue(), PAYLOAD_LIMIT - 100));
    }

    @Test
    void aPayloadOverTheLimitInABatchIsNamedByItsIndex() {
        String queue = uniqueQueue();
        assertInvalid(post("/jobs/batch", Map.of("jobs", List.of(echoOf(queue, 10), echoOf(queue, PAYLOAD_LIMIT))))
                .then(), "jobs[1].payload");
        assertThat(Jobs.countsOf(queue)).isNull();
    }

    @Test
    void runAtIsBoundedLikeDelay() {
        String tooFar = Instant.now().plus(366, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        assertInvalid(post("/jobs", Map.of("type", "echo", "queue", uniqueQueue(), "runAt", tooFar)).then(), "runAt");
        String inReach = Instant.now().plus(364, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        enqueue(Map.of("type", "echo", "queue", uniqueQueue(), "runAt", inReach));
    }

    @Test
    void theLongestTimeoutIsConfigured() {
        assertInvalid(post("/jobs", Map.of("type", "echo", "queue", uniqueQueue(), "timeout", "PT2H")).then(),
                "timeout");
        enqueue(Map.of("type", "echo", "queue", uniqueQueue(), "timeout", "PT1H", "delay", "PT1H"));
    }

    @Test
    void theLongestSleepIsConfigured() {
        assertInvalid(post("/jobs", Map.of("type", "sleep", "queue", uniqueQueue(), "payload", Map.of("ms", 60_001)))
                .then(), "payload.ms");
        enqueue(Map.of("type", "sleep", "queue", uniqueQueue(), "payload", Map.of("ms", 60_000), "delay", "PT1H"));
    }

    @Test
    void aResultOverTheLimitFailsTheJobForGoodAndNeverReachesRedis() {
        String id = enqueue(Map.of("type", "echo", "queue", uniqueQueue(), "maxAttempts", 3,
                "payload", Map.of("m", "x".repeat(2000))));
        var job = awaitFinished(id, "failed", Jobs.FIRST_PICKUP);
        assertThat(job.getInt("attempts")).as("a too large result is permanent: no retry").isEqualTo(1);
        assertThat(job.getString("error")).contains("result").contains("1024");
        assertThat(job.getString("result")).isNull();
    }

    @Test
    void listsShowSummariesUnlessAskedForPayloadAndResult() {
        String queue = uniqueQueue();
        String id = enqueue(Map.of("type", "echo", "queue", queue, "payload", Map.of("m", "hello")));
        awaitFinished(id, "succeeded", Jobs.FIRST_PICKUP);
        given().queryParam("queue", queue).when().get("/jobs").then().statusCode(200)
                .body("jobs[0].id", equalTo(id))
                .body("jobs[0]", not(hasKey("payload")))
                .body("jobs[0]", not(hasKey("result")));
        given().queryParam("queue", queue).queryParam("full", "true").when().get("/jobs").then().statusCode(200)
                .body("jobs[0].payload.m", equalTo("hello"))
                .body("jobs[0].result.m", equalTo("hello"));
    }

    @Test
    void aFullPageStopsAtTheByteBudgetAndTheCursorGoesOn() {
        String queue = uniqueQueue();
        for (int i = 0; i < 5; i++) {
            enqueue(echoOf(queue, 30_000));
        }
        Response first = given().queryParam("queue", queue).queryParam("full", "true").when().get("/jobs");
        first.then().statusCode(200).body("nextCursor", notNullValue());
        assertThat(first.asByteArray().length).as("100K budget plus at most one job").isLessThan(100 * 1024 + 31_000);
        assertThat(listAll(Map.of("queue", queue, "full", "true"))).hasSize(5);
    }

    @Test
    void aLoneSurrogateInAPayloadIsRefusedNamingTheField() {
        String queue = uniqueQueue();
        String body = "{\"type\":\"echo\",\"queue\":\"" + queue + "\",\"payload\":{\"m\":\"a\\ud800b\"}}";
        assertInvalid(given().contentType(ContentType.JSON).body(body).when().post("/jobs").then(), "payload.m");
        assertInvalid(given().contentType(ContentType.JSON).body("{\"jobs\":[" + body + "]}").when()
                .post("/jobs/batch").then(), "jobs[0].payload.m");
        assertInvalid(given().contentType(ContentType.JSON).body(body.replace("\"echo\"", "\"e\\ud800\"")).when()
                .post("/jobs").then(), "type");
        for (String name : List.of("\\ud800", "\\udc00")) {
            String key = "{\"type\":\"echo\",\"queue\":\"" + queue + "\",\"payload\":{\"" + name + "\":1}}";
            given().contentType(ContentType.JSON).body(key).when().post("/jobs").then()
                    .statusCode(org.hamcrest.Matchers.anyOf(equalTo(400), equalTo(422)));
        }
        assertThat(Jobs.countsOf(queue)).isNull();
    }

    @Test
    void aPairedSurrogateIsStoredAndReadBack() {
        String body = "{\"type\":\"echo\",\"queue\":\"" + uniqueQueue()
                + "\",\"delay\":\"PT1H\",\"payload\":{\"m\":\"\\ud83d\\ude00\"}}";
        String id = given().contentType(ContentType.JSON).body(body).when().post("/jobs").then().statusCode(201)
                .extract().path("id");
        given().when().get("/jobs/" + id).then().statusCode(200).body("payload.m", equalTo("\uD83D\uDE00"));
    }

    @Test
    void problemBodiesNameNoJavaClass() {
        for (String body : List.of("[]", "\"echo\"", "42", "{\"type\":\"echo\",\"priority\":\"high\"}",
                "{\"type\":\"echo\",\"backoff\":[1]}", "{\"type\":\"primes\",\"payload\":{\"lowest\":\"x\",\"highest\":2}}",
                "{\"type\":\"http\",\"payload\":{\"method\":[\"GET\"],\"url\":\"https://example.invalid/\"}}",
                "{\"type\":\"http\",\"payload\":{\"method\":\"GET\",\"url\":\"https://example.invalid/\",\"timeout\":\"soon\"}}")) {
            String answer = given().contentType(ContentType.JSON).body(body).when().post("/jobs").then()
                    .statusCode(org.hamcrest.Matchers.both(org.hamcrest.Matchers.greaterThanOrEqualTo(400))
                            .and(org.hamcrest.Matchers.lessThan(500)))
                    .extract().asString();
            assertThat(answer).as(body).doesNotContainPattern("(java|javax|jakarta|dev\\.conveyor|com\\.fasterxml)\\.[a-z]")
                    .doesNotContain("`").doesNotContain("Exception");
        }
        given().contentType(ContentType.JSON).body("{\"jobs\":5}").when().post("/jobs/batch").then()
                .body(not(containsString("java."))).body(not(containsString("dev.conveyor")));
    }
}
