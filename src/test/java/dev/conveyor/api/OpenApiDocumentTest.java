package dev.conveyor.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

/** /q/openapi is a valid OpenAPI 3 document that describes every endpoint, its answers and the job types. */
@QuarkusTest
class OpenApiDocumentTest {

    @Test
    void theDocumentIsValidOpenApi3AndComplete() {
        String json = given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200).extract().asString();
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(json);
        assertThat(parsed.getMessages()).as("validation messages").isEmpty();
        OpenAPI api = parsed.getOpenAPI();
        assertThat(api.getOpenapi()).startsWith("3.");

        assertThat(api.getPaths().keySet()).containsAll(List.of("/jobs", "/jobs/batch", "/jobs/{id}",
                "/jobs/{id}/result", "/jobs/{id}/retry", "/queues", "/queues/{name}", "/queues/{name}/pause",
                "/queues/{name}/resume", "/stats"));
        api.getPaths().forEach((path, item) -> item.readOperations().forEach(operation -> {
            assertThat(operation.getSummary()).as(path + " summary").isNotBlank();
            assertThat(operation.getResponses()).as(path + " answers").containsKey("503");
        }));

        Operation enqueue = api.getPaths().get("/jobs").getPost();
        assertThat(enqueue.getResponses().keySet()).contains("200", "201", "400", "409", "413", "422", "503");
        assertThat(enqueue.getResponses().get("422").getContent()).containsKey("application/problem+json");
        assertThat(enqueue.getRequestBody().getContent().get("application/json").getExamples().keySet())
                .contains("echo", "sleep", "primes", "http");
        assertThat(api.getPaths().get("/jobs/{id}").getDelete().getResponses().keySet())
                .contains("200", "202", "404", "409");
    }
}
