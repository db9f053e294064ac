package dev.conveyor.api;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.conveyor.handler.HandlerRegistry;
import dev.conveyor.handler.JobHandler;
import io.quarkus.arc.Arc;
import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * Completes the OpenAPI document at start-up with what annotations cannot say: the answers every operation can give
 * (the framework's own 4xx, 503 when Redis is unreachable) as shared responses; the bounds that come from
 * configuration; and, from the registered job types, one request schema per type (its payload schema, chosen by
 * {@code type}), its result schema and an example request, so that adding a job type documents it.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.RUNTIME_STARTUP)
public class OpenApiCompletion implements OASFilter {

    /** The shared response of the framework's own errors (404, 405, 406, 415, ...). */
    public static final String PROBLEM_RESPONSE = "Problem";
    /** The shared 503 (Redis unreachable or full), with Retry-After. */
    public static final String UNAVAILABLE_RESPONSE = "Unavailable";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEMAS = "#/components/schemas/";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getComponents() == null) {
            return;
        }
        // relative to the document's own URL: the host that serves /q/openapi serves the API
        openAPI.setServers(null);
        openAPI.addServer(OASFactory.createServer().url("/").description("The host serving this document"));
        addSharedResponses(openAPI.getComponents());
        addCommonAnswers(openAPI);
        inlineNullableReferences(openAPI.getComponents());
        var registry = Arc.container().instance(HandlerRegistry.class);
        if (registry.isAvailable()) {
            addJobTypes(openAPI, registry.get().all());
        }
        var config = Arc.container().instance(ApiConfig.class);
        if (config.isAvailable()) {
            addConfiguredBounds(openAPI, config.get());
        }
    }

    private static void addSharedResponses(Components components) {
        components.addHeader("Retry-After", OASFactory.createHeader()
                .description("Seconds to wait before trying again").required(true)
                .schema(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).minimum(BigDecimal.ONE)));
        components.addResponse(PROBLEM_RESPONSE, OASFactory.createAPIResponse()
                .description("An error: no such path or resource (404), method not allowed (405), no acceptable "
                        + "media type (406), unsupported Content-Type (415), and the like")
                .content(problemContent()));
        components.addResponse(UNAVAILABLE_RESPONSE, retryLater(
                "Redis is unreachable or full (type unavailable: nothing was written), or did not answer an enqueue "
                        + "in time (type outcome-unknown: the jobs named by jobId or jobIds may exist; look them up "
                        + "before sending them again); retry after the Retry-After header"));
    }

    private static org.eclipse.microprofile.openapi.models.responses.APIResponse retryLater(String description) {
        return OASFactory.createAPIResponse().description(description)
                .addHeader("Retry-After", OASFactory.createHeader().ref("Retry-After"))
                .content(problemContent());
    }

    private static Content problemContent() {
        return OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref("Problem")));
    }

    /** 503 everywhere; 404 and 406 on every operation, 415 on those with a body, unless the operation says more. */
    private static void addCommonAnswers(OpenAPI openAPI) {
        openAPI.getPaths().getPathItems().values().forEach(path -> path.getOperations().values().forEach(operation -> {
            if (operation.getResponses() == null) {
                return;
            }
            operation.getResponses().addAPIResponse("503", shared(UNAVAILABLE_RESPONSE));
            addIfAbsent(operation, "404");
            addIfAbsent(operation, "406");
            if (operation.getRequestBody() != null) {
                addIfAbsent(operation, "415");
            }
        }));
    }

    private static void addIfAbsent(Operation operation, String status) {
        if (operation.getResponses().getAPIResponse(status) == null) {
            operation.getResponses().addAPIResponse(status, shared(PROBLEM_RESPONSE));
        }
    }

    private static org.eclipse.microprofile.openapi.models.responses.APIResponse shared(String name) {
        return OASFactory.createAPIResponse().ref(name);
    }

    /**
     * In OpenAPI 3.0, {@code nullable} does not reach into the {@code allOf} a nullable reference is written as: a
     * nullable property that refers to another schema (a job's {@code backoff}, {@code startedAt}) becomes a nullable
     * copy of that schema.
     */
    private static void inlineNullableReferences(Components components) {
        for (Schema schema : List.copyOf(components.getSchemas().values())) {
            if (schema.getProperties() == null) {
                continue;
            }
            Map<String, Schema> properties = new LinkedHashMap<>();
            schema.getProperties().forEach((name, property) -> properties.put(name,
                    isNullableReference(property) ? nullableCopy(property, components) : property));
            schema.setProperties(properties);
        }
    }

    /** Read from annotations: a null type, and anyOf the schema referred to and null. */
    private static boolean isNullableReference(Schema property) {
        return property.getType() != null && property.getType().contains(Schema.SchemaType.NULL)
                && reference(property) != null;
    }

    private static String reference(Schema property) {
        if (property.getAnyOf() == null) {
            return null;
        }
        return property.getAnyOf().stream().map(Schema::getRef).filter(ref -> ref != null).findFirst().orElse(null);
    }

    private static Schema nullableCopy(Schema property, Components components) {
        String ref = reference(property);
        Schema target = components.getSchemas().get(ref.substring(ref.lastIndexOf('/') + 1));
        Schema copy = OASFactory.createSchema();
        copy.setAll(target.getAll());
        copy.setType(property.getType());
        if (property.getDescription() != null) {
            copy.setDescription(property.getDescription());
        }
        return copy;
    }

    /**
     * JobRequest becomes a choice by {@code type}: one schema per job type, each the common fields with that type's
     * payload schema, and unknown fields refused as the API refuses them.
     */
    private static void addJobTypes(OpenAPI openAPI, Map<String, JobHandler<?, ?>> handlers) {
        Components components = openAPI.getComponents();
        Schema common = components.getSchemas().get("JobRequest");
        if (common == null || common.getProperties() == null) {
            return;
        }
        Schema choice = OASFactory.createSchema().description(common.getDescription())
                .discriminator(OASFactory.createDiscriminator().propertyName("type"));
        handlers.forEach((type, handler) -> {
            String name = schemaName(type);
            // a request may send "payload": null, which means {}
            components.addSchema(name + "Payload", described(SchemaJson.read(handler.payloadSchema()),
                    "Payload of a " + type + " job; null means {}.").addType(Schema.SchemaType.NULL));
            components.addSchema(name + "Result", described(SchemaJson.read(handler.resultSchema()),
                    "Result of a succeeded " + type + " job."));
            Map<String, Schema> properties = new LinkedHashMap<>(common.getProperties());
            properties.put("type", OASFactory.createSchema().addType(Schema.SchemaType.STRING).addEnumeration(type));
            properties.put("payload", OASFactory.createSchema().ref(name + "Payload"));
            components.addSchema(name + "JobRequest", OASFactory.createSchema()
                    .description("A " + type + " job to run.")
                    .addType(Schema.SchemaType.OBJECT)
                    .properties(properties)
                    .required(common.getRequired())
                    .additionalPropertiesBoolean(false));
            choice.addOneOf(OASFactory.createSchema().ref(name + "JobRequest"));
            choice.getDiscriminator().addMapping(type, SCHEMAS + name + "JobRequest");
        });
        components.addSchema("JobRequest", choice);
        // the Java type of a request's payload: each type's payload schema replaces it
        components.removeSchema("JsonNode");
        components.removeSchema("JsonNodeType");
        addExamples(openAPI, handlers);
    }

    private static Schema described(Schema schema, String description) {
        return schema.getDescription() == null ? schema.description(description) : schema;
    }

    /** {@code send-email} becomes {@code SendEmail}. */
    static String schemaName(String type) {
        StringBuilder name = new StringBuilder();
        for (String part : type.split("[^A-Za-z0-9]+")) {
            if (!part.isEmpty()) {
                name.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
            }
        }
        return name.toString();
    }

    private static void addExamples(OpenAPI openAPI, Map<String, JobHandler<?, ?>> handlers) {
        var jobs = openAPI.getPaths().getPathItem("/jobs");
        if (jobs == null || jobs.getPOST() == null || jobs.getPOST().getRequestBody() == null) {
            return;
        }
        MediaType json = jobs.getPOST().getRequestBody().getContent().getMediaType("application/json");
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

    private static void addConfiguredBounds(OpenAPI openAPI, ApiConfig config) {
        Schema batch = openAPI.getComponents().getSchemas().get("BatchRequest");
        if (batch != null && batch.getProperties() != null && batch.getProperties().get("jobs") != null) {
            batch.getProperties().get("jobs").maxItems(config.maxBatchSize());
        }
        var jobs = openAPI.getPaths().getPathItem("/jobs");
        if (jobs != null && jobs.getGET() != null && jobs.getGET().getParameters() != null) {
            for (Parameter parameter : jobs.getGET().getParameters()) {
                if ("limit".equals(parameter.getName()) && parameter.getSchema() != null) {
                    parameter.getSchema().maximum(BigDecimal.valueOf(config.maxPageSize()))
                            .defaultValue(config.defaultPageSize());
                }
            }
        }
    }
}
