package dev.conveyor.report;

import static dev.conveyor.testing.Jobs.run;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static dev.conveyor.testing.Problems.assertProblem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/** An artifact over conveyor.artifacts.max-size fails its job at once, with a clear error, and nothing is stored. */
@QuarkusTest
@TestProfile(ArtifactCapTest.SmallCap.class)
class ArtifactCapTest {

    public static class SmallCap implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("conveyor.artifacts.max-size", "2K");
        }
    }

    private final String queue = uniqueQueue("capped");

    @Test
    void aReportOverTheCapFailsForGood() {
        List<List<Object>> rows = Collections.nCopies(400, List.of("twelve chars"));
        JsonPath job = run(Map.of("type", "generate_report", "queue", queue, "maxAttempts", 3, "payload",
                Map.of("format", "csv", "title", "Too big", "columns", List.of("text"), "rows", rows)), "failed");

        assertThat(job.getInt("attempts")).as("not retried").isEqualTo(1);
        assertThat(job.getString("error"))
                .isEqualTo("Too big.csv of 5.5 KiB is over conveyor.artifacts.max-size (2 KiB)");
        assertProblem(given().when().get("/jobs/" + job.getString("id") + "/artifact").then(), 404)
                .body("type", equalTo("https://conveyor.dev/problems/no-artifact"));
    }

    @Test
    void aReportUnderTheCapIsStored() {
        JsonPath job = run(Map.of("type", "generate_report", "queue", queue, "payload", Map.of("format", "csv",
                "title", "Small", "columns", List.of("text"), "rows", List.of(List.of("fits")))), "succeeded");

        assertThat(job.getLong("result.artifact.size")).isEqualTo("text\r\nfits\r\n".length());
    }
}
