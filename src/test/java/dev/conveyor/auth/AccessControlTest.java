package dev.conveyor.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.conveyor.testing.AccessMatrix;
import dev.conveyor.testing.AuthOn;
import dev.conveyor.testing.Jobs;
import dev.conveyor.testing.LogCapture;
import dev.conveyor.testing.TestKeys;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Queue grants, idempotency per client, key rotation, rates, audit and the denial counter, with keys as shipped. */
@QuarkusTest
@TestProfile(AuthOn.class)
class AccessControlTest {

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @AfterEach
    void restoreKeys() {
        TestKeys.write(AuthOn.KEYS_FILE, AccessMatrix.keys());
        Jobs.eventually().until(() -> as(AccessMatrix.READ).get("/queues").statusCode() == 200);
    }

    @Test
    void aJobInAQueueTheCallerMayNotUseIsA403WhetherOrNotItExists() {
        String existing = enqueueAs(TestKeys.ADMIN, AccessMatrix.QUEUE, null).path("id");
        String missing = AccessMatrix.QUEUE + ".01JDQ8Z6V3M4T2K9N7P5R1S0XA";

        Response forExisting = as(AccessMatrix.ELSEWHERE).get("/jobs/" + existing);
        Response forMissing = as(AccessMatrix.ELSEWHERE).get("/jobs/" + missing);

        forExisting.then().statusCode(403).body("type", equalTo("https://conveyor.dev/problems/forbidden-queue"));
        forMissing.then().statusCode(403);
        assertThat(forMissing.path("detail").toString()).isEqualTo(forExisting.path("detail").toString());
    }

    @Test
    void listsQueuesAndStatsShowOnlyGrantedQueues() {
        enqueueAs(TestKeys.ADMIN, AccessMatrix.QUEUE, null);
        enqueueAs(TestKeys.ADMIN, AccessMatrix.OTHER_QUEUE, null);

        as(AccessMatrix.ELSEWHERE).get("/jobs").then().statusCode(200)
                .body("jobs.queue", hasItem(AccessMatrix.OTHER_QUEUE))
                .body("jobs.queue", everyItem(equalTo(AccessMatrix.OTHER_QUEUE)));
        as(AccessMatrix.ELSEWHERE).get("/queues").then().statusCode(200)
                .body("name", everyItem(equalTo(AccessMatrix.OTHER_QUEUE)));
        as(AccessMatrix.ELSEWHERE).get("/stats").then().statusCode(200)
                .body("queues.keySet()", everyItem(equalTo(AccessMatrix.OTHER_QUEUE)));
        as(TestKeys.ADMIN).get("/queues").then().statusCode(200).body("name", hasItem(AccessMatrix.QUEUE));
    }

    @Test
    void aBatchNamingAQueueTheCallerMayNotUseIsRefusedWhole() {
        String body = "{\"jobs\":[{\"type\":\"echo\",\"queue\":\"" + AccessMatrix.OTHER_QUEUE + "\"},"
                + "{\"type\":\"echo\",\"queue\":\"" + AccessMatrix.QUEUE + "\"}]}";
        long before = count(AccessMatrix.OTHER_QUEUE);

        as(AccessMatrix.ELSEWHERE).contentType(ContentType.JSON).body(body).post("/jobs/batch").then().statusCode(403)
                .body("errors.field", equalTo(List.of("jobs[1].queue")));

        assertThat(count(AccessMatrix.OTHER_QUEUE)).isEqualTo(before);
    }

    @Test
    void idempotencyKeysArePerClient() {
        TestKeys.write(AuthOn.KEYS_FILE, withKeys(new TestKeys.Entry("second-app", "cvk_second-app-key",
                List.of("submit"), List.of(AccessMatrix.QUEUE), null)));
        Jobs.eventually().until(() -> enqueueAs("cvk_second-app-key", AccessMatrix.QUEUE, null).statusCode() == 201);
        String key = "order-" + System.nanoTime();

        String first = enqueueAs(AccessMatrix.SUBMIT, AccessMatrix.QUEUE, key).then().statusCode(201)
                .extract().path("id");
        Response other = enqueueAs("cvk_second-app-key", AccessMatrix.QUEUE, key);
        Response again = enqueueAs(AccessMatrix.SUBMIT, AccessMatrix.QUEUE, key);

        other.then().statusCode(201).body("id", not(equalTo(first)));
        again.then().statusCode(200).body("id", equalTo(first));
    }

    @Test
    void aKeyAddedToTheFileIsAcceptedAndARemovedOneRefusedWithoutARestart() {
        String added = "cvk_rotated-in-key";
        as(added).get("/queues").then().statusCode(401);

        TestKeys.write(AuthOn.KEYS_FILE, withKeys(new TestKeys.Entry("rotated", added, List.of("read"),
                List.of("*"), null)));
        Jobs.eventually().until(() -> as(added).get("/queues").statusCode() == 200);

        TestKeys.write(AuthOn.KEYS_FILE, List.of(TestKeys.admin()));
        Jobs.eventually().until(() -> as(added).get("/queues").statusCode() == 401);
        as(AccessMatrix.READ).get("/queues").then().statusCode(401);
    }

    @Test
    void anInvalidKeysFileKeepsTheKeysOfTheLastGoodOne() {
        try (LogCapture log = LogCapture.of("dev.conveyor.auth")) {
            TestKeys.writeText(AuthOn.KEYS_FILE, "{\"keys\": [{\"name\": \"x\", \"sha256\": \"nothex\"}]}");
            Jobs.eventually().until(() -> log.lines().stream().anyMatch(line -> line.contains("is invalid")));

            as(AccessMatrix.READ).get("/queues").then().statusCode(200);
            assertThat(log.lines()).anyMatch(line -> line.contains("keys[0].sha256"));
        }
    }

    @Test
    void aKeyOverItsRateGets429WithRetryAfterAndABatchCountsAsItsJobs() {
        String limited = "cvk_limited-key";
        TestKeys.write(AuthOn.KEYS_FILE, withKeys(new TestKeys.Entry("limited", limited, List.of("submit"),
                List.of(AccessMatrix.QUEUE), "3/m")));
        Jobs.eventually().until(() -> as(limited).get("/jobs/" + AccessMatrix.QUEUE + ".01JDQ8Z6V3M4T2K9N7P5R1S0XA")
                .statusCode() == 404);
        String batch = "{\"jobs\":[{\"type\":\"echo\",\"queue\":\"" + AccessMatrix.QUEUE + "\"},{\"type\":\"echo\","
                + "\"queue\":\"" + AccessMatrix.QUEUE + "\"}]}";

        as(limited).contentType(ContentType.JSON).body(batch).post("/jobs/batch").then().statusCode(201);
        Response refused = enqueueAs(limited, AccessMatrix.QUEUE, null);

        refused.then().statusCode(429).contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://conveyor.dev/problems/rate-limited"));
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(scrape()).contains("conveyor_auth_denied_total{reason=\"rate-limited\"}");
    }

    @Test
    void manageActionsLeaveOneAuditLineAndRefusalsAreCountedWithoutTokenMaterial() {
        String id = AccessMatrix.succeededJob(new io.restassured.builder.RequestSpecBuilder()
                .setBaseUri(io.restassured.RestAssured.baseURI).setPort(io.restassured.RestAssured.port).build());
        double before = denied("invalid-token");
        try (LogCapture audit = LogCapture.of("conveyor.audit"); LogCapture all = LogCapture.of("")) {
            as(AccessMatrix.MANAGE).post("/jobs/" + id + "/retry").then().statusCode(409);
            as(AccessMatrix.MANAGE).post("/queues/" + AccessMatrix.QUEUE + "/pause").then().statusCode(200);
            as(AccessMatrix.MANAGE).post("/queues/" + AccessMatrix.QUEUE + "/resume").then().statusCode(200);
            as(AccessMatrix.UNKNOWN).get("/queues").then().statusCode(401);

            assertThat(audit.lines()).hasSize(3);
            assertThat(audit.lines().get(0)).contains("matrix-manage", "re-run", id);
            assertThat(audit.lines().get(1)).contains("matrix-manage", "pause", "queue " + AccessMatrix.QUEUE);
            assertThat(all.lines()).noneMatch(line -> line.contains(AccessMatrix.UNKNOWN)
                    || line.contains(AccessMatrix.MANAGE));
        }
        assertThat(denied("invalid-token")).isEqualTo(before + 1);
    }

    private static io.restassured.specification.RequestSpecification as(String key) {
        return given().header("Authorization", TestKeys.bearer(key)).when();
    }

    private static Response enqueueAs(String key, String queue, String idempotencyKey) {
        String body = "{\"type\":\"echo\",\"queue\":\"" + queue + "\",\"payload\":{}"
                + (idempotencyKey == null ? "" : ",\"idempotencyKey\":\"" + idempotencyKey + "\"") + "}";
        return as(key).contentType(ContentType.JSON).body(body).post("/jobs");
    }

    private static long count(String queue) {
        Map<String, Integer> counts = as(TestKeys.ADMIN).get("/queues/" + queue).then().statusCode(200)
                .extract().path("counts");
        return counts.values().stream().mapToLong(Integer::longValue).sum();
    }

    private static List<TestKeys.Entry> withKeys(TestKeys.Entry... extra) {
        List<TestKeys.Entry> keys = new ArrayList<>(AccessMatrix.keys());
        keys.addAll(List.of(extra));
        return keys;
    }

    private String scrape() {
        return given().when().get(metrics).then().statusCode(200).extract().asString();
    }

    private double denied(String reason) {
        String prefix = "conveyor_auth_denied_total{reason=\"" + reason + "\"} ";
        return scrape().lines().filter(line -> line.startsWith(prefix)).mapToDouble(line -> Double.parseDouble(
                line.substring(prefix.length()))).findFirst().orElse(0);
    }
}
