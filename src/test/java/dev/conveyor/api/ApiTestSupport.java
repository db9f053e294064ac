package dev.conveyor.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;

/** Helpers shared by the REST API tests: unique queues, enqueueing, problem-body checks, bounded waits. */
final class ApiTestSupport {

    static final String PROBLEM_JSON = "application/problem+json";

    private ApiTestSupport() {
    }

    /** A queue name no other test uses, so that counts and listings only see this test's jobs. */
    static String uniqueQueue() {
        return "t-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /** Waits on a condition with a deadline; never sleeps blindly. */
    static ConditionFactory eventually() {
        return Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .pollDelay(Duration.ZERO);
    }

    static Response post(String path, Object body) {
        return given().contentType(ContentType.JSON).body(body).when().post(path);
    }

    /** POST /jobs that must create a job; returns the job's JSON. */
    static Response enqueue(Object body) {
        Response response = post("/jobs", body);
        response.then().statusCode(201);
        return response;
    }

    static String enqueueId(Object body) {
        return enqueue(body).path("id");
    }

    /** A job that stays scheduled for the whole test run. */
    static String enqueueWaiting(String queue) {
        return enqueueId(Map.of("type", "echo", "queue", queue, "delay", "PT1H"));
    }

    static String statusOf(String id) {
        return given().when().get("/jobs/" + id).then().statusCode(200).extract().path("status");
    }

    static void awaitStatus(String id, String status) {
        eventually().untilAsserted(() -> given().when().get("/jobs/" + id)
                .then().statusCode(200).body("status", equalTo(status)));
    }

    /** Checks the RFC 9457 shape every error answer has. */
    static ValidatableResponse assertProblem(ValidatableResponse response, int status) {
        return response.statusCode(status)
                .contentType(startsWith(PROBLEM_JSON))
                .body("type", startsWith("https://conveyor.dev/problems/"))
                .body("title", not(emptyOrNullString()))
                .body("status", equalTo(status))
                .body("detail", not(emptyOrNullString()));
    }

    /** A 422 validation problem whose errors name {@code field} (with a message). */
    static ValidatableResponse assertInvalid(ValidatableResponse response, String field) {
        return assertProblem(response, 422)
                .body("type", equalTo("https://conveyor.dev/problems/validation"))
                .body("errors", notNullValue())
                .body("errors", everyItem(hasKey("field")))
                .body("errors", everyItem(hasKey("message")))
                .body("errors.field", hasItem(field))
                .body("errors.find { it.field == '" + field + "' }.message", not(emptyOrNullString()));
    }

    /** Every page of GET /jobs for these query parameters, following nextCursor; fails on a loop. */
    static List<Map<String, Object>> listAll(Map<String, Object> query) {
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
    static Map<String, Integer> countsOf(String queue) {
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
