package dev.conveyor.handler.builtin;

import static dev.conveyor.testing.WorkerJobs.FIRST_PICKUP;
import static dev.conveyor.testing.WorkerJobs.awaitFinished;
import static dev.conveyor.testing.WorkerJobs.enqueue;
import static dev.conveyor.testing.WorkerJobs.uniqueQueue;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** {@code echo} through the real worker: the result is the payload. */
@QuarkusTest
class EchoJobTest {

    @Test
    void theResultIsThePayload() {
        String queue = uniqueQueue("echo");
        String id = enqueue("""
                {"type": "echo", "queue": "%s", "payload": {"message": "hi", "n": [1, 2.5, {"x": true}],
                 "nested": {"a": null, "b": "ünïcødé €"}}}
                """.formatted(queue));

        JsonPath job = awaitFinished(id, "succeeded", FIRST_PICKUP);

        assertEquals(job.getMap("payload"), job.getMap("result"));
        assertEquals("hi", job.getString("result.message"));
        assertEquals(3, job.getList("result.n").size());
        assertEquals(1, job.getInt("result.n[0]"));
        assertEquals(2.5, job.getDouble("result.n[1]"));
        assertEquals(true, job.getBoolean("result.n[2].x"));
        assertTrue(job.getMap("result.nested").containsKey("a"), "null members are kept");
        assertEquals("ünïcødé €", job.getString("result.nested.b"));
        assertEquals(1, job.getInt("attempts"));
        assertNull(job.get("error"));
        given().when().get("/jobs/" + id + "/result")
                .then().statusCode(200)
                .body("status", equalTo("succeeded"))
                .body("result.message", equalTo("hi"))
                .body("result.nested.b", equalTo("ünïcødé €"));
    }

    @Test
    void anEmptyPayloadEchoesAnEmptyObject() {
        String queue = uniqueQueue("echo");
        String id = enqueue("{\"type\": \"echo\", \"queue\": \"" + queue + "\"}");

        JsonPath job = awaitFinished(id, "succeeded", FIRST_PICKUP);

        assertEquals(Map.of(), job.getMap("result"));
    }
}
