package dev.conveyor.observe;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.conveyor.testing.AccessMatrix;
import dev.conveyor.testing.AuthOn;
import dev.conveyor.testing.Jobs;
import dev.conveyor.testing.TestKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * GET /stats' throughput counts exactly the jobs that finished, as the worker counted them and its heartbeat stored
 * them (every second in tests): successes, failures for good, and a job the reaper failed for good. A key limited to
 * the test's queue sees only that queue's counts.
 */
@QuarkusTest
@TestProfile(AuthOn.class)
class ThroughputTest {

    private static final String READER = "cvk_throughput-reader-4Kd9Wm2Qx7Lz1Tb6Nc3Rv8Hp0Yf5Ja";

    @Inject
    RedisDataSource redis;

    @AfterEach
    void restoreKeys() {
        TestKeys.write(AuthOn.KEYS_FILE, AccessMatrix.keys());
        Jobs.eventually().until(() -> as(AccessMatrix.READ).get("/queues").statusCode() == 200);
    }

    @Test
    void statsCountEverySucceededAndEveryFailedJobOnce() {
        String queue = Jobs.uniqueQueue("throughput");
        List<TestKeys.Entry> keys = new ArrayList<>(AccessMatrix.keys());
        keys.add(new TestKeys.Entry("throughput-reader", READER, List.of("read"), List.of(queue), null));
        TestKeys.write(AuthOn.KEYS_FILE, keys);
        Jobs.eventually().until(() -> as(READER).get("/stats").statusCode() == 200);
        Instant firstMinute = Instant.now().truncatedTo(ChronoUnit.MINUTES);

        List<String> ids = new ArrayList<>();
        int succeeding = 7;
        int failing = 3;
        for (int i = 0; i < succeeding; i++) {
            ids.add(enqueue("{\"type\":\"echo\",\"queue\":\"" + queue + "\",\"payload\":{\"n\":" + i + "}}"));
        }
        for (int i = 0; i < failing; i++) {
            ids.add(enqueue("{\"type\":\"sleep\",\"queue\":\"" + queue + "\",\"payload\":{\"ms\":1,\"failTimes\":1,"
                    + "\"retryable\":false}}"));
        }
        for (String id : ids) {
            Awaitility.await().atMost(Jobs.FIRST_PICKUP).until(() -> Set.of("succeeded", "failed")
                    .contains(as(TestKeys.ADMIN).get("/jobs/" + id).path("status")));
        }
        // one more fails for good in the reaper: its lease runs out (made to, here) on its only attempt; the worker
        // that ran it loses the lease and records nothing, so it is counted once
        String reaped = enqueue("{\"type\":\"sleep\",\"queue\":\"" + queue + "\",\"maxAttempts\":1,"
                + "\"payload\":{\"ms\":60000}}");
        Awaitility.await().atMost(Jobs.FIRST_PICKUP).until(() -> "running"
                .equals(as(TestKeys.ADMIN).get("/jobs/" + reaped).path("status")));
        String active = "conveyor:{" + queue + "}:active";
        String ulid = reaped.substring(reaped.lastIndexOf('.') + 1);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            // the worker's lease keeper may extend the lease again before the reaper sees it expired
            redis.execute("ZADD", active, "XX", "0", ulid);
            return "failed".equals(as(TestKeys.ADMIN).get("/jobs/" + reaped).path("status"));
        });

        Jobs.eventually().untilAsserted(() -> {
            JsonPath stats = as(READER).queryParam("minutes", 5).get("/stats").then().statusCode(200).extract()
                    .jsonPath();
            assertThat(stats.getList("throughput")).hasSize(5);
            assertThat(stats.getLong("throughput.sum { it.succeeded }")).isEqualTo(succeeding);
            assertThat(stats.getLong("throughput.sum { it.failed }")).isEqualTo(failing + 1);
            // all in the minutes since the jobs began (one, or two across a minute's end)
            List<String> busy = stats.getList("throughput.findAll { it.succeeded + it.failed > 0 }.minute");
            assertThat(busy).allSatisfy(minute -> assertThat(Instant.parse(minute)).isAfterOrEqualTo(firstMinute));
        });
    }

    private static String enqueue(String body) {
        return as(TestKeys.ADMIN).contentType(ContentType.JSON).body(body).post("/jobs").then().statusCode(201)
                .extract().path("id");
    }

    private static RequestSpecification as(String key) {
        return given().header("Authorization", TestKeys.bearer(key));
    }
}
