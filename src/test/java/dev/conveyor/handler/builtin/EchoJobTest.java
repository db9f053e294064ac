package dev.conveyor.handler.builtin;

import static dev.conveyor.testing.Jobs.run;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** {@code echo} through the real worker: the result is the payload. */
@QuarkusTest
class EchoJobTest {

    private final String queue = uniqueQueue("echo");

    @Test
    void theResultIsThePayload() {
        JsonPath job = run("""
                {"type": "echo", "queue": "%s", "payload": {"message": "hi", "n": [1, 2.5, {"x": true}],
                 "nested": {"a": null, "b": "ünïcødé €"}}}
                """.formatted(queue), "succeeded");

        assertThat(job.getMap("result")).isEqualTo(job.getMap("payload"));
        assertThat(job.getString("result.message")).isEqualTo("hi");
        assertThat(job.getList("result.n")).hasSize(3);
        assertThat(job.getInt("result.n[0]")).isEqualTo(1);
        assertThat(job.getDouble("result.n[1]")).isEqualTo(2.5);
        assertThat(job.getBoolean("result.n[2].x")).isTrue();
        assertThat(job.getMap("result.nested")).as("null members are kept").containsKey("a");
        assertThat(job.getString("result.nested.b")).isEqualTo("ünïcødé €");
        assertThat(job.getInt("attempts")).isEqualTo(1);
        assertThat(job.getString("error")).isNull();
        given().when().get("/jobs/" + job.getString("id") + "/result")
                .then().statusCode(200)
                .body("status", equalTo("succeeded"))
                .body("result.message", equalTo("hi"))
                .body("result.nested.b", equalTo("ünïcødé €"));
    }

    @Test
    void anEmptyPayloadEchoesAnEmptyObject() {
        JsonPath job = run("{\"type\": \"echo\", \"queue\": \"" + queue + "\"}", "succeeded");

        assertThat(job.getMap("result")).isEmpty();
    }
}
