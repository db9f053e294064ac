package dev.conveyor.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.atlassian.oai.validator.report.MessageResolver;
import com.atlassian.oai.validator.schema.SchemaValidator;

import io.quarkus.test.junit.QuarkusTest;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

/**
 * /q/openapi is a valid OpenAPI 3.0 document that describes the wire format: every endpoint and answer, the job
 * types' payloads and results, and examples that match their own schemas. It is written to target/openapi.json for
 * the linter (.ci/run).
 */
@QuarkusTest
@SuppressWarnings({ "rawtypes", "unchecked" })
class OpenApiDocumentTest {

    private static String json;
    private static OpenAPI api;

    /** Read once, in a test: rest-assured knows the app's port only once a test runs. */
    @BeforeEach
    void readDocument() throws IOException {
        if (api != null) {
            return;
        }
        json = given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200).extract().asString();
        Files.writeString(Path.of("target", "openapi.json"), json);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(json);
        assertThat(parsed.getMessages()).as("validation messages").isEmpty();
        api = parsed.getOpenAPI();
    }

    @Test
    void theDocumentIsOpenApi30AndComplete() {
        // 3.0: the version validators and client generators support fully
        assertThat(api.getOpenapi()).startsWith("3.0.");
        assertThat(api.getServers()).isNotEmpty();
        assertThat(api.getPaths().keySet()).containsAll(List.of("/jobs", "/jobs/batch", "/jobs/{id}",
                "/jobs/{id}/result", "/jobs/{id}/retry", "/queues", "/queues/{name}", "/queues/{name}/pause",
                "/queues/{name}/resume", "/stats"));
        Set<String> operationIds = new HashSet<>();
        api.getPaths().forEach((path, item) -> item.readOperations().forEach(operation -> {
            assertThat(operation.getSummary()).as(path + " summary").isNotBlank();
            assertThat(operation.getOperationId()).as(path + " operationId").isNotBlank();
            assertThat(operationIds.add(operation.getOperationId())).as(operation.getOperationId() + " is unique")
                    .isTrue();
            assertThat(operation.getResponses()).as(path + " answers").containsKeys("404", "406", "503");
            assertThat(operation.getResponses().get("503").get$ref()).isEqualTo("#/components/responses/Unavailable");
        }));
        assertThat(api.getComponents().getResponses()).containsKeys("Problem", "Unavailable");
        assertThat(api.getComponents().getResponses().get("Unavailable").getHeaders()).containsKey("Retry-After");

        Operation enqueue = api.getPaths().get("/jobs").getPost();
        assertThat(enqueue.getResponses().keySet()).contains("200", "201", "400", "409", "413", "415", "422", "503");
        assertThat(enqueue.getResponses().get("201").getHeaders()).containsKey("Location");
        assertThat(enqueue.getResponses().get("200").getHeaders()).containsKey("Location");
        assertThat(enqueue.getResponses().get("422").getContent()).containsKey("application/problem+json");
        assertThat(enqueue.getRequestBody().getContent().get("application/json").getExamples().keySet())
                .contains("echo", "sleep", "primes", "http");
        assertThat(api.getPaths().get("/jobs/{id}").getDelete().getResponses().keySet())
                .contains("200", "202", "404", "409");
    }

    @Test
    void jobRequestsAreChosenByTypeWithEachTypesPayloadSchema() {
        Map<String, Schema> schemas = api.getComponents().getSchemas();
        assertThat(json).doesNotContain("JsonNode");
        Schema request = schemas.get("JobRequest");
        assertThat(request.getDiscriminator().getPropertyName()).isEqualTo("type");
        assertThat(request.getDiscriminator().getMapping()).containsKeys("echo", "sleep", "primes", "http");
        assertThat(request.getOneOf()).hasSize(request.getDiscriminator().getMapping().size());

        Schema sleep = schemas.get("SleepJobRequest");
        assertThat(sleep.getAdditionalProperties()).isEqualTo(false);
        assertThat(sleep.getRequired()).containsExactly("type");
        assertThat(((Schema) sleep.getProperties().get("type")).getEnum()).containsExactly("sleep");
        assertThat(((Schema<?>) sleep.getProperties().get("payload")).get$ref())
                .isEqualTo("#/components/schemas/SleepPayload");
        assertThat(((Schema<?>) sleep.getProperties().get("queue")).getPattern()).isEqualTo("^[a-z0-9][a-z0-9_-]{0,63}$");
        assertThat(((Schema<?>) sleep.getProperties().get("runAt")).getFormat()).isEqualTo("date-time");
        assertThat(schemas.get("SleepPayload").getRequired()).containsExactly("ms");
        assertThat(schemas.get("SleepPayload").getAdditionalProperties()).isEqualTo(false);
        assertThat(schemas.get("SleepResult").getProperties()).containsKeys("sleptMs", "attempt");
        assertThat(schemas.get("PrimesResult").getProperties()).containsKeys("count", "primes", "truncated");
        assertThat(schemas.get("BatchRequest").getAdditionalProperties()).isEqualTo(false);
        assertThat(((Schema<?>) schemas.get("BatchRequest").getProperties().get("jobs")).getMaxItems()).isEqualTo(1000);
    }

    @Test
    void answersMarkWhatMayBeNullAndWhatIsAlwaysThere() {
        Map<String, Schema> schemas = api.getComponents().getSchemas();
        Schema<?> job = schemas.get("Job");
        for (String field : List.of("startedAt", "finishedAt", "timeout", "backoff", "result", "error")) {
            assertThat(((Schema<?>) job.getProperties().get(field)).getNullable()).as(field).isTrue();
        }
        assertThat(job.getRequired()).contains("id", "status", "createdAt", "startedAt", "error", "cancelRequested")
                .doesNotContain("payload", "result", "errors");
        assertThat(((Schema<?>) job.getProperties().get("status")).getEnum()).hasSize(7);
        assertThat(((Schema<?>) schemas.get("PageView").getProperties().get("nextCursor")).getNullable()).isTrue();
        assertThat(schemas.get("Problem").getProperties()).containsKeys("jobId", "jobStatus", "errors");

        var list = api.getPaths().get("/jobs").getGet().getParameters();
        assertThat(list).filteredOn(p -> p.getName().equals("limit")).singleElement()
                .satisfies(limit -> assertThat(limit.getSchema().getType()).isEqualTo("integer"));
        assertThat(list).filteredOn(p -> p.getName().equals("status")).singleElement()
                .satisfies(status -> assertThat(status.getSchema().getEnum()).hasSize(7));
        assertThat(api.getPaths().get("/stats").getGet().getParameters()).singleElement()
                .satisfies(minutes -> assertThat(minutes.getSchema().getType()).isEqualTo("integer"));
    }

    @Test
    void everyExampleMatchesItsSchema() {
        SchemaValidator validator = new SchemaValidator(api, new MessageResolver());
        List<String> mismatches = new ArrayList<>();
        int[] checked = { 0 };
        api.getPaths().forEach((path, item) -> item.readOperations().forEach(operation -> {
            if (operation.getRequestBody() != null) {
                operation.getRequestBody().getContent().forEach((type, media) -> {
                    if (media.getExamples() != null) {
                        media.getExamples().forEach((name, example) -> check(validator, path + " example " + name,
                                example.getValue(), media.getSchema(), mismatches, checked));
                    }
                });
            }
            if (operation.getParameters() != null) {
                operation.getParameters().forEach(parameter -> check(validator, path + " " + parameter.getName(),
                        parameter.getExample(), parameter.getSchema(), mismatches, checked));
            }
        }));
        api.getComponents().getSchemas().forEach((name, schema) -> {
            check(validator, name, schema.getExample(), schema, mismatches, checked);
            if (schema.getProperties() != null) {
                schema.getProperties().forEach((property, propertySchema) -> check(validator, name + "." + property,
                        ((Schema<?>) propertySchema).getExample(), (Schema<?>) propertySchema, mismatches, checked));
            }
        });
        assertThat(mismatches).isEmpty();
        assertThat(checked[0]).as("examples checked").isGreaterThan(10);
    }

    private static void check(SchemaValidator validator, String where, Object example, Schema<?> schema,
            List<String> mismatches, int[] checked) {
        if (example == null || schema == null) {
            return;
        }
        checked[0]++;
        var report = validator.validate(() -> Json.mapper().valueToTree(example), schema, "example");
        if (report.hasErrors()) {
            mismatches.add(where + ": " + report.getMessages());
        }
    }
}
