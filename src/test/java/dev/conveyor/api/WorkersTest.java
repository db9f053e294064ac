package dev.conveyor.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.conveyor.queue.WorkerEntry;
import dev.conveyor.queue.WorkerRegistry;
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
 * GET /workers lists the worker of this process (role all), kept fresh by its heartbeat (1 s in tests): its queues,
 * concurrency and jobs in flight; a key limited to a queue sees only that queue; an expired entry is neither listed
 * nor kept.
 */
@QuarkusTest
@TestProfile(AuthOn.class)
@SuppressWarnings("unchecked")
class WorkersTest {

    private static final String ENTRIES = "conveyor:{workers}:entries";
    private static final String EXPIRIES = "conveyor:{workers}:expiries";
    private static final long PID = ProcessHandle.current().pid();

    @Inject
    RedisDataSource redis;

    @Inject
    WorkerRegistry registry;

    @Test
    void listsThisWorkerWithItsQueuesConcurrencyAndJobsInFlight() {
        String queue = Jobs.uniqueQueue("workers");
        String id = enqueueAs(TestKeys.ADMIN, "{\"type\":\"sleep\",\"queue\":\"" + queue + "\",\"payload\":{\"ms\":60000}}");
        Awaitility.await().atMost(Jobs.FIRST_PICKUP).until(() -> "running".equals(as(TestKeys.ADMIN).get("/jobs/" + id).path("status")));

        Jobs.eventually().untilAsserted(() -> {
            Map<String, Object> worker = thisWorker(as(TestKeys.ADMIN).get("/workers").then().statusCode(200)
                    .extract().jsonPath());
            assertThat((List<Object>) worker.get("queues")).contains("default", queue);
            assertThat(worker.get("concurrency")).isEqualTo(10);
            assertThat((Integer) worker.get("inFlight")).isPositive();
            assertThat(worker.get("id").toString()).startsWith(worker.get("host") + ":" + PID + ":");
            Instant heartbeat = Instant.parse(worker.get("heartbeatAt").toString());
            assertThat(Instant.parse(worker.get("startedAt").toString())).isBefore(heartbeat);
            assertThat(Instant.parse(worker.get("expiresAt").toString())).isAfter(heartbeat);
        });
        as(TestKeys.ADMIN).delete("/jobs/" + id).then().statusCode(202);
        Jobs.eventually().until(() -> "cancelled".equals(as(TestKeys.ADMIN).get("/jobs/" + id).path("status")));
    }

    @Test
    void aKeyLimitedToOneQueueSeesOnlyThatQueue() {
        enqueueAs(TestKeys.ADMIN, "{\"type\":\"echo\",\"queue\":\"" + AccessMatrix.QUEUE + "\"}");
        enqueueAs(TestKeys.ADMIN, "{\"type\":\"echo\",\"queue\":\"" + Jobs.uniqueQueue("hidden") + "\"}");

        Jobs.eventually().untilAsserted(() -> {
            List<Object> all = (List<Object>) thisWorker(as(TestKeys.ADMIN).get("/workers").jsonPath()).get("queues");
            assertThat(all).contains(AccessMatrix.QUEUE).hasSizeGreaterThan(2);
            Map<String, Object> limited = thisWorker(as(AccessMatrix.READ).get("/workers").then().statusCode(200)
                    .extract().jsonPath());
            assertThat((List<Object>) limited.get("queues")).containsExactly(AccessMatrix.QUEUE);
        });
    }

    @Test
    void anExpiredEntryIsNotListedAndTheNextHeartbeatDropsIt() {
        String gone = "gone-host:1:deadbeef";
        String entry = "{\"id\":\"" + gone + "\",\"host\":\"gone-host\",\"pid\":1,\"queues\":[\"default\"],"
                + "\"concurrency\":1,\"inFlight\":0,\"startedAt\":\"2026-01-01T00:00:00Z\","
                + "\"heartbeatAt\":\"2026-01-01T00:00:00Z\",\"version\":\"\"}";
        redis.execute("HSET", ENTRIES, gone, entry);
        redis.execute("ZADD", EXPIRIES, Long.toString(System.currentTimeMillis() - 60_000), gone);

        List<String> listed = as(TestKeys.ADMIN).get("/workers").then().statusCode(200).extract().path("workers.id");
        assertThat(listed).doesNotContain(gone).isNotEmpty();
        Jobs.eventually().until(() -> redis.execute("HEXISTS", ENTRIES, gone).toInteger() == 0
                && redis.execute("ZSCORE", EXPIRIES, gone) == null);
        assertThat(redis.execute("PTTL", ENTRIES).toLong()).as("the registry expires with its last entry")
                .isPositive();
        assertThat(redis.execute("PTTL", EXPIRIES).toLong()).isPositive();
    }

    @Test
    void aFullRegistryListsNoNewWorkerButKeepsRefreshingListedOnes() {
        String fill = "for i = 1, tonumber(ARGV[2]) do redis.call('HSET', KEYS[1], 'filler:' .. i, '{}');"
                + " redis.call('ZADD', KEYS[2], ARGV[1], 'filler:' .. i) end";
        Jobs.eventually().until(() -> ownId() != null);
        String own = ownId();
        long entries = redis.execute("ZCARD", EXPIRIES).toLong();
        String inAnHour = Long.toString(System.currentTimeMillis() + 3_600_000);
        redis.execute("EVAL", fill, "2", ENTRIES, EXPIRIES, inAnHour,
                Long.toString(WorkerRegistry.MAX_WORKERS - entries));
        try {
            WorkerEntry newcomer = new WorkerEntry("newcomer:2:cafe", "newcomer", 2, List.of("default"), 1, 0,
                    Instant.now(), Instant.now(), "");
            assertThat(registry.heartbeat(newcomer, Duration.ofMinutes(1)).await().atMost(Duration.ofSeconds(5)))
                    .as("a new worker beyond the cap").isFalse();
            assertThat(redis.execute("HEXISTS", ENTRIES, newcomer.id()).toInteger()).isZero();
            double before = redis.execute("ZSCORE", EXPIRIES, own).toDouble();
            Jobs.eventually().until(() -> redis.execute("ZSCORE", EXPIRIES, own).toDouble() > before);
            // the fillers are no entries this version can read: they are left out, not an error
            assertThat(as(TestKeys.ADMIN).get("/workers").then().statusCode(200).extract().<List<String>>path(
                    "workers.id")).containsExactly(own);
        } finally {
            redis.execute("DEL", ENTRIES, EXPIRIES);
            Jobs.eventually().until(() -> ownId() != null);
        }
    }

    private String ownId() {
        return as(TestKeys.ADMIN).get("/workers").then().statusCode(200).extract()
                .path("workers.find { it.pid == " + PID + " }.id");
    }

    /** The entry of this process' worker: exactly one, whose pid is this JVM's. */
    private static Map<String, Object> thisWorker(JsonPath workers) {
        List<Map<String, Object>> mine = workers.getList("workers.findAll { it.pid == " + PID + " }");
        assertThat(mine).hasSize(1);
        return mine.get(0);
    }

    private static String enqueueAs(String key, String body) {
        return as(key).contentType(ContentType.JSON).body(body).post("/jobs").then().statusCode(201).extract()
                .path("id");
    }

    private static RequestSpecification as(String key) {
        return given().header("Authorization", TestKeys.bearer(key));
    }
}
