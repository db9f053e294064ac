package dev.conveyor.api;

import java.util.ArrayList;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.conveyor.handler.HandlerRegistry;
import dev.conveyor.handler.JobHandler;
import io.quarkus.arc.Arc;
import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * Completes the OpenAPI document at start-up: the 503 answer every operation can give (Redis unreachable), and from
 * the registered job types the list of valid {@code type} values and one example request per type (each handler gives
 * its example payload), so that adding a job type documents it.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.RUNTIME_STARTUP)
public class OpenApiCompletion implements OASFilter {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        addUnavailableAnswers(openAPI);
        addJobTypes(openAPI);
    }

    private static void addUnavailableAnswers(OpenAPI openAPI) {
        if (openAPI.getPaths() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().values().forEach(path -> path.getOperations().values().forEach(operation -> {
            if (operation.getResponses() != null) {
                operation.getResponses().addAPIResponse("503", OASFactory.createAPIResponse()
                        .description("Redis is unreachable; retry after the Retry-After header")
                        .content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, OASFactory.createMediaType()
                                .schema(OASFactory.createSchema().ref("#/components/schemas/Problem")))));
            }
        }));
    }

    private static void addJobTypes(OpenAPI openAPI) {
        var registry = Arc.container().instance(HandlerRegistry.class);
        if (!registry.isAvailable() || openAPI.getPaths() == null || openAPI.getPaths().getPathItem("/jobs") == null) {
            return;
        }
        Map<String, JobHandler<?, ?>> handlers = registry.get().all();
        Schema request = openAPI.getComponents() == null ? null : openAPI.getComponents().getSchemas().get("JobRequest");
        if (request != null && request.getProperties() != null && request.getProperties().get("type") != null) {
            request.getProperties().get("type").setEnumeration(new ArrayList<>(handlers.keySet()));
        }
        var post = openAPI.getPaths().getPathItem("/jobs").getPOST();
        if (post == null || post.getRequestBody() == null || post.getRequestBody().getContent() == null) {
            return;
        }
        MediaType json = post.getRequestBody().getContent().getMediaType("application/json");
        if (json == null) {
            return;
        }
        handlers.forEach((type, handler) -> {
            try {
                Object payload = JSON.readValue(handler.examplePayload(), Object.class);
                json.addExample(type, OASFactory.createExample().summary("A " + type + " job")
                        .value(Map.of("type", type, "payload", payload)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("example payload of job type " + type + " is not JSON", e);
            }
        });
    }
}
