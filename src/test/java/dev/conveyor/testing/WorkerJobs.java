package dev.conveyor.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import org.awaitility.Awaitility;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Enqueues jobs through the REST API and waits for them, for the tests that run jobs through the real worker.
 * Waiting is always on a condition with a deadline (Awaitility), never a fixed sleep.
 */
public final class WorkerJobs {

    /**
     * Long enough for the first job of a queue the worker has not seen yet: the worker only discovers new queues when
     * its blocking wait ends (at most conveyor.worker.idle-wait = 5 s), see PickupLatencyTest.
     */
    public static final Duration FIRST_PICKUP = Duration.ofSeconds(20);

    private static final Set<String> FINISHED = Set.of("succeeded", "failed", "cancelled");

    private WorkerJobs() {
    }

    /** A queue name no other test uses: {@code <prefix>-<random>}. */
    public static String uniqueQueue(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 12).toLowerCase(Locale.ROOT);
    }

    /** POST /jobs with this body; expects 201 and returns the new job's id. */
    public static String enqueue(String jsonBody) {
        return given().contentType(ContentType.JSON).body(jsonBody)
                .when().post("/jobs")
                .then().statusCode(201)
                .extract().path("id");
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

    /** Waits until the job is succeeded, failed or cancelled, and returns it. */
    public static JsonPath awaitFinished(String id, Duration max) {
        return awaitJob(id, max, job -> FINISHED.contains(job.getString("status")));
    }

    /** Waits until the job is finished and checks that it ended in {@code status}. */
    public static JsonPath awaitFinished(String id, String status, Duration max) {
        JsonPath finished = awaitFinished(id, max);
        org.junit.jupiter.api.Assertions.assertEquals(status, finished.getString("status"),
                () -> "job " + id + " ended " + finished.prettify());
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
        assertNotNull(text, () -> field + " is not set in " + job.prettify());
        return Instant.parse(text);
    }

    /** Milliseconds from the instant {@code from} to the instant {@code to} of one job. */
    public static long millisBetween(JsonPath job, String from, String to) {
        return Duration.between(instant(job, from), instant(job, to)).toMillis();
    }
}
