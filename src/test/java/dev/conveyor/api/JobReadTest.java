package dev.conveyor.api;

import static dev.conveyor.testing.Jobs.awaitStatus;
import static dev.conveyor.testing.Jobs.create;
import static dev.conveyor.testing.Jobs.enqueueWaiting;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static dev.conveyor.testing.Problems.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** GET /jobs/{id} and GET /jobs/{id}/result, for jobs in every situation and for ids that are not jobs. */
@QuarkusTest
class JobReadTest {

    @Test
    void getAnswersTheJobAsCreated() {
        Response created = create(Map.of("type", "echo", "queue", uniqueQueue(), "priority", 2,
                "payload", Map.of("k", "v"), "delay", "PT1H"));
        String id = created.path("id");
        given().when().get("/jobs/" + id).then().statusCode(200).contentType(ContentType.JSON)
                .body("id", equalTo(id))
                .body("type", equalTo("echo"))
                .body("queue", equalTo(created.path("queue")))
                .body("status", equalTo("scheduled"))
                .body("priority", equalTo(2))
                .body("payload.k", equalTo("v"))
                .body("attempts", equalTo(0))
                .body("maxAttempts", equalTo(3))
                .body("createdAt", equalTo(created.path("createdAt")))
                .body("runAt", equalTo(created.path("runAt")))
                .body("startedAt", nullValue())
                .body("finishedAt", nullValue())
                .body("result", nullValue())
                .body("error", nullValue());
    }

    @Test
    void unknownIdIs404Problem() {
        String queue = uniqueQueue();
        enqueueWaiting(queue);
        String unknownInKnownQueue = queue + ".01ARZ3NDEKTSV4RRFFQ69G5FAV";
        assertProblem(given().when().get("/jobs/" + unknownInKnownQueue).then(), 404)
                .body("type", equalTo("https://conveyor.dev/problems/not-found"))
                .body("detail", containsString(unknownInKnownQueue));
        assertProblem(given().when().get("/jobs/no-such-queue.01ARZ3NDEKTSV4RRFFQ69G5FAV").then(), 404);
        assertProblem(given().when().get("/jobs/" + unknownInKnownQueue + "/result").then(), 404);
    }

    @ParameterizedTest
    @ValueSource(strings = { "nope", "42", "default.", ".01ARZ3NDEKTSV4RRFFQ69G5FAV", "default.01arz3ndektsv4rrffq69g5fav",
            "default.01ARZ3NDEKTSV4RRFFQ69G5FA", "default.01ARZ3NDEKTSV4RRFFQ69G5FAVX", "default.01ARZ3NDEKTSV4RRFFQ69G5FAU",
            "Default.01ARZ3NDEKTSV4RRFFQ69G5FAV", "a%20b.01ARZ3NDEKTSV4RRFFQ69G5FAV", "%7Bx%7D.01ARZ3NDEKTSV4RRFFQ69G5FAV" })
    void syntacticallyInvalidIdIs404Problem(String id) {
        assertProblem(given().urlEncodingEnabled(false).when().get("/jobs/" + id).then(), 404)
                .body("type", equalTo("https://conveyor.dev/problems/not-found"));
        assertProblem(given().urlEncodingEnabled(false).when().get("/jobs/" + id + "/result").then(), 404);
    }

    @Test
    void resultOfASucceededJobIs200WithTheResult() {
        String id = create(Map.of("type", "echo", "queue", uniqueQueue(), "payload", Map.of("answer", 42)))
                .path("id");
        awaitStatus(id, "succeeded");
        given().when().get("/jobs/" + id + "/result").then().statusCode(200).contentType(ContentType.JSON)
                .body("id", equalTo(id))
                .body("status", equalTo("succeeded"))
                .body("result.answer", equalTo(42));
        given().when().get("/jobs/" + id).then().statusCode(200)
                .body("attempts", equalTo(1))
                .body("startedAt", notNullValue())
                .body("finishedAt", notNullValue())
                .body("result.answer", equalTo(42))
                .body("error", nullValue());
    }

    @Test
    void resultOfAScheduledJobIs409WithItsStatus() {
        String id = enqueueWaiting(uniqueQueue());
        assertProblem(given().when().get("/jobs/" + id + "/result").then(), 409)
                .body("type", equalTo("https://conveyor.dev/problems/result-not-ready"))
                .body("jobStatus", equalTo("scheduled"));
    }

    @Test
    void resultOfARunningJobIs409WithItsStatus() {
        String id = create(Map.of("type", "sleep", "queue", uniqueQueue(), "payload", Map.of("ms", 3000)))
                .path("id");
        awaitStatus(id, "running");
        assertProblem(given().when().get("/jobs/" + id + "/result").then(), 409)
                .body("jobStatus", equalTo("running"));
        awaitStatus(id, "succeeded");
    }

    @Test
    void resultOfAFailedJobIs409WithItsStatusAndError() {
        String id = create(Map.of("type", "sleep", "queue", uniqueQueue(), "maxAttempts", 1,
                "payload", Map.of("ms", 0, "failTimes", 1, "retryable", false))).path("id");
        awaitStatus(id, "failed");
        assertProblem(given().when().get("/jobs/" + id + "/result").then(), 409)
                .body("type", equalTo("https://conveyor.dev/problems/job-not-succeeded"))
                .body("jobStatus", equalTo("failed"))
                .body("detail", containsString("on purpose"));
        given().when().get("/jobs/" + id).then().statusCode(200)
                .body("attempts", equalTo(1))
                .body("finishedAt", notNullValue())
                .body("result", nullValue())
                .body("error", containsString("on purpose"));
    }

    @Test
    void nonRetryableFailureFailsAtOnceWhateverAttemptsRemain() {
        String id = create(Map.of("type", "sleep", "queue", uniqueQueue(), "maxAttempts", 5,
                "payload", Map.of("ms", 0, "failTimes", 3, "retryable", false))).path("id");
        awaitStatus(id, "failed");
        given().when().get("/jobs/" + id).then().body("attempts", equalTo(1));
        given().when().get("/jobs/" + id + "/result").then().statusCode(409).body("jobStatus", equalTo("failed"));
    }

    @Test
    void retryableFailureIsRetriedUntilItSucceeds() {
        String id = create(Map.of("type", "sleep", "queue", uniqueQueue(), "maxAttempts", 3,
                "payload", Map.of("ms", 0, "failTimes", 2))).path("id");
        awaitStatus(id, "succeeded");
        given().when().get("/jobs/" + id).then().body("attempts", equalTo(3));
        given().when().get("/jobs/" + id + "/result").then().statusCode(200).body("result.attempt", equalTo(3));
    }
}
