package dev.conveyor.api;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * Declares access control's answers on every operation that needs a role (those with a security requirement): 401 with
 * the Bearer challenge, 403, and 429 with Retry-After, each a problem body, in place of the generic answers the
 * OpenAPI extension adds for secured operations.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.RUNTIME_STARTUP)
public class OpenApiAccess implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().values().forEach(path -> path.getOperations().values().forEach(operation -> {
            if (operation.getSecurity() == null || operation.getSecurity().isEmpty() || operation.getResponses() == null) {
                return;
            }
            operation.getResponses()
                    .addAPIResponse("401", problem("No token, or not a valid API key or JWT")
                            .addHeader("WWW-Authenticate", header("Bearer, with error=\"invalid_token\" for a token "
                                    + "that is not valid (RFC 6750)")))
                    .addAPIResponse("403", problem("The client lacks the role this operation needs, or a grant of "
                            + "the queue it names (type forbidden or forbidden-queue)"))
                    .addAPIResponse("429", problem("The client is over its rate (type rate-limited)")
                            .addHeader("Retry-After", header("Seconds until a retry would pass")
                                    .schema(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER)
                                            .minimum(java.math.BigDecimal.ONE))));
        }));
    }

    private static APIResponse problem(String description) {
        return OASFactory.createAPIResponse().description(description)
                .content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, OASFactory.createMediaType()
                        .schema(OASFactory.createSchema().ref("#/components/schemas/Problem"))));
    }

    private static Header header(String description) {
        return OASFactory.createHeader().description(description)
                .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING));
    }
}
