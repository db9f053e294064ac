package dev.conveyor.api;

import static dev.conveyor.testing.Problems.assertProblem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.swagger.v3.parser.OpenAPIV3Parser;

/**
 * Every path of the API, as the OpenAPI document lists them: OPTIONS answers its real methods in {@code Allow}, and a
 * method it does not have is a 405 problem whose {@code Allow} says the same (RFC 9110).
 */
@QuarkusTest
class AllowHeaderTest {

    /** Methods no path has (but PUT /schedules/{name}). */
    private static final List<String> FOREIGN = List.of("PUT", "PATCH");
    /**
     * Quarkus REST routes these to {@code /jobs/{id}} (the job "batch", which cannot exist: 404), not to
     * {@code /jobs/batch}.
     */
    private static final Set<String> ROUTED_ELSEWHERE = Set.of("GET /jobs/batch", "DELETE /jobs/batch");

    private Map<String, String> allowByPath;

    @BeforeEach
    void readDocument() {
        String json = given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200).extract().asString();
        allowByPath = new LinkedHashMap<>();
        new OpenAPIV3Parser().readContents(json).getOpenAPI().getPaths().forEach((template, item) -> {
            Set<String> methods = new TreeSet<>();
            item.readOperationsMap().keySet().forEach(method -> methods.add(method.name()));
            if (methods.contains("GET")) {
                methods.add("HEAD");
            }
            methods.add("OPTIONS");
            allowByPath.put(template.replaceAll("\\{[^}]+}", "x"), String.join(", ", methods));
        });
        // the document lists every path of the resources, so the tests below cover them all
        assertThat(allowByPath.keySet()).contains("/jobs", "/jobs/batch", "/jobs/x", "/jobs/x/result",
                "/jobs/x/artifact",
                "/jobs/x/retry", "/queues", "/queues/x", "/queues/x/pause", "/queues/x/resume", "/stats",
                "/queues/x/retry-failed", "/queues/x/drain", "/queues/x/jobs", "/queues/x/limits",
                "/schedules", "/schedules/x", "/schedules/x/pause", "/schedules/x/resume");
        assertThat(allowByPath).containsEntry("/queues/x/jobs", "DELETE, OPTIONS");
        assertThat(allowByPath).containsEntry("/jobs", "GET, HEAD, OPTIONS, POST")
                .containsEntry("/queues/x/limits", "DELETE, OPTIONS, PUT")
                .containsEntry("/jobs/x", "DELETE, GET, HEAD, OPTIONS")
                .containsEntry("/jobs/batch", "OPTIONS, POST")
                .containsEntry("/jobs/x/artifact", "GET, HEAD, OPTIONS")
                .containsEntry("/schedules", "GET, HEAD, OPTIONS, POST")
                .containsEntry("/schedules/x", "DELETE, GET, HEAD, OPTIONS, PUT");
    }

    @Test
    void optionsListsThePathsOwnMethods() {
        allowByPath.forEach((path, allow) -> given().when().options(path)
                .then().statusCode(200).header("Allow", equalTo(allow)));
    }

    @Test
    void aMethodThePathDoesNotHaveIs405WithAllow() {
        List<String> tried = new ArrayList<>();
        allowByPath.forEach((path, allow) -> {
            for (String method : List.of("GET", "POST", "DELETE", "PUT", "PATCH")) {
                if (allow.contains(method) || ROUTED_ELSEWHERE.contains(method + " " + path)) {
                    continue;
                }
                tried.add(method + " " + path);
                assertProblem(given().when().request(method, path).then(), 405).header("Allow", equalTo(allow));
            }
        });
        assertThat(tried).contains("DELETE /jobs", "POST /jobs/x", "GET /jobs/x/retry", "PUT /stats");
        assertThat(tried.size()).isGreaterThanOrEqualTo(allowByPath.size() * FOREIGN.size());
    }

    @Test
    void optionsOfAnUnknownPathBelowAResourceIs404() {
        assertProblem(given().when().options("/jobs/x/nothing").then(), 404)
                .header("Allow", emptyOrNullString());
    }
}
