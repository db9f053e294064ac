package dev.conveyor.api;

import static dev.conveyor.testing.Jobs.awaitStatus;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static dev.conveyor.testing.Problems.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.conveyor.job.JobId;
import dev.conveyor.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * A job removed by retention answers 404 with a problem that says it expired; a job within the retention is read,
 * and an id retention never removed stays a plain "not found".
 */
@QuarkusTest
class JobExpiredTest {

    /** conveyor.retention.succeeded-count in application.properties. */
    private static final int KEPT = 1000;

    @Test
    void aJobRemovedByTheCountIsAnExpiredProblem() {
        String queue = uniqueQueue("expired");
        String first = enqueueBatch(queue, 1).get(0);
        awaitStatus(first, "succeeded");
        List<String> later = new ArrayList<>();
        for (int batch = 0; batch < 2; batch++) {
            later.addAll(enqueueBatch(queue, KEPT / 2));
        }
        Jobs.eventually().until(() -> {
            Map<String, Integer> counts = Jobs.countsOf(queue);
            return counts.get("succeeded") >= KEPT && counts.get("queued") == 0 && counts.get("running") == 0;
        });

        assertProblem(given().when().get("/jobs/" + first).then(), 404)
                .body("type", equalTo("https://conveyor.dev/problems/job-expired"))
                .body("detail", containsString(first));
        assertProblem(given().when().get("/jobs/" + first + "/result").then(), 404)
                .body("type", equalTo("https://conveyor.dev/problems/job-expired"));
        String newest = later.get(later.size() - 1);
        given().when().get("/jobs/" + newest + "/result").then().statusCode(200);
        // an id created after every job retention removed: never existed
        String unknown = JobId.newId(queue, System.currentTimeMillis()).toString();
        assertProblem(given().when().get("/jobs/" + unknown).then(), 404)
                .body("type", equalTo("https://conveyor.dev/problems/not-found"));
    }

    private static List<String> enqueueBatch(String queue, int n) {
        List<Map<String, Object>> jobs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            jobs.add(Map.of("type", "echo", "queue", queue, "payload", Map.of("n", i)));
        }
        return given().contentType(ContentType.JSON).body(Map.of("jobs", jobs)).when().post("/jobs/batch").then()
                .statusCode(201).extract().jsonPath().getList("jobs.id", String.class);
    }
}
