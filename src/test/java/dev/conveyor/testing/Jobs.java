package dev.conveyor.testing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Jobs through the REST API, for every test that runs against the app: unique queues, enqueueing, reading,
 * listing and counting, and waiting for a job. Waiting is always on a condition with a deadline (Awaitility),
 * never a fixed sleep.
 */
public final class Jobs {

    /**
     * Long enough for the first job of a queue the worker has not seen yet: the worker only discovers new queues when
     * its blocking wait ends (at most conveyor.worker.idle-wait = 5 s), see PickupLatencyTest.
     */
    public static final Duration FIRST_PICKUP = Duration.ofSeconds(20);

    private static final Duration EVENTUALLY = Duration.ofSeconds(20);
    private static final Set<String> FINISHED = Set.of("succeeded", "failed", "cancelled");

    private Jobs() {
    }

    /** A queue name no other test uses, so that counts and listings only see this test's jobs. */
    public static String uniqueQueue() {
        return uniqueQueue("t");
    }

    /** A queue name no other test uses: {@code <prefix>-<random>}. */
    public static String uniqueQueue(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 12).toLowerCase(Locale.ROOT);
    }

    /** Waits on a condition with a deadline; never sleeps blindly. */
    public static ConditionFactory eventually() {
        return Awaitility.await().atMost(EVENTUALLY).pollInterval(Duration.ofMillis(100)).pollDelay(Duration.ZERO);
    }

    /** POST {@code path} with this JSON body (a string or anything rest-assured serializes). */
    public static Response post(String path, Object body) {
        return given().contentType(ContentType.JSON).body(body).when().post(path);
    }

    /** POST /jobs that must create a job; returns the 201 answer. */
    public static Response create(Object body) {
        Response response = post("/jobs", body);
        response.then().statusCode(201);
        return response;
    }

    /** POST /jobs that must create a job; returns its id. */
    public static String enqueue(Object body) {
        return create(body).path("id");
    }

    /** A job that stays scheduled for the whole test run. */
    public static String enqueueWaiting(String queue) {
        return enqueue(Map.of("type", "echo", "queue", queue, "delay", "PT1H"));
    }

    /** GET /jobs/{id}; expects 200. */
    public static JsonPath job(String id) {
        return given().when().get("/jobs/" + id)
                .then().statusCode(200)
                .extract().jsonPath();
    }

    public static String status(String id) {
        return job(id).getString("status");
    }

    /** POST /jobs with this body, waits until the job is finished, checks it ended in {@code status}; returns it. */
    public static JsonPath run(Object body, String status) {
        return awaitFinished(enqueue(body), status, FIRST_PICKUP);
    }

    /** Waits until the job is in {@code status}. */
    public static void awaitStatus(String id, String status) {
        awaitJob(id, EVENTUALLY, job -> status.equals(job.getString("status")));
    }

    /** Waits until the job is succeeded, failed or cancelled, and returns it. */
    public static JsonPath awaitFinished(String id, Duration max) {
        return awaitJob(id, max, job -> FINISHED.contains(job.getString("status")));
    }

    /** Waits until the job is finished and checks that it ended in {@code status}. */
    public static JsonPath awaitFinished(String id, String status, Duration max) {
        JsonPath finished = awaitFinished(id, max);
        assertThat(finished.getString("status")).as(() -> "job " + id + " ended " + finished.prettify())
                .isEqualTo(status);
        return finished;
    }

    /** Waits until the job satisfies {@code condition}, and returns it as it was then. */
    public static JsonPath awaitJob(String id, Duration max, Predicate<JsonPath> condition) {
        JsonPath[] last = new JsonPath[1];
        Awaitility.await("job " + id)
                .atMost(max)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    last[0] = job(id);
                    return condition.test(last[0]);
                });
        return last[0];
    }

    public static Instant instant(JsonPath job, String field) {
        String text = job.getString(field);
        assertThat(text).as(() -> field + " is not set in " + job.prettify()).isNotNull();
        return Instant.parse(text);
    }

    /** Milliseconds from the instant {@code from} to the instant {@code to} of one job. */
    public static long millisBetween(JsonPath job, String from, String to) {
        return Duration.between(instant(job, from), instant(job, to)).toMillis();
    }

    /** Every page of GET /jobs for these query parameters, following nextCursor; fails on a loop. */
    public static List<Map<String, Object>> listAll(Map<String, Object> query) {
        List<Map<String, Object>> jobs = new ArrayList<>();
        String cursor = null;
        for (int pages = 0; pages < 1000; pages++) {
            var request = given().queryParams(query);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            Response page = request.when().get("/jobs");
            page.then().statusCode(200).contentType(ContentType.JSON);
            jobs.addAll(page.jsonPath().getList("jobs"));
            cursor = page.path("nextCursor");
            if (cursor == null) {
                return jobs;
            }
        }
        throw new AssertionError("GET /jobs did not reach its last page in 1000 pages");
    }

    /** The counts of one queue in GET /queues, or null when it is not listed. */
    public static Map<String, Integer> countsOf(String queue) {
        List<Map<String, Object>> queues = given().when().get("/queues")
                .then().statusCode(200).contentType(ContentType.JSON).extract().jsonPath().getList("$");
        for (Map<String, Object> q : queues) {
            if (queue.equals(q.get("name"))) {
                @SuppressWarnings("unchecked")
                Map<String, Integer> counts = (Map<String, Integer>) q.get("counts");
                return counts;
            }
        }
        return null;
    }
}
