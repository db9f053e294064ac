package dev.conveyor.api;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.conveyor.auth.DeniedRequests;
import io.quarkus.arc.properties.UnlessBuildProperty;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * Access control's refusals as problem bodies: 401 with the Bearer challenge (RFC 6750) when the token is missing or
 * not valid, 403 when the caller lacks the role, 429 with Retry-After when it is over its rate. Never a word on the
 * token. Not {@code @ApiRole}, for the reason given on {@link ProblemMappers}.
 */
@UnlessBuildProperty(name = "conveyor.role", stringValue = "worker", enableIfMissing = true)
public class AccessProblems {

    private final DeniedRequests denied;

    AccessProblems(DeniedRequests denied) {
        this.denied = denied;
    }

    @ServerExceptionMapper
    public Response missingToken(UnauthorizedException e, UriInfo uri) {
        denied.count(DeniedRequests.Reason.MISSING_TOKEN);
        return unauthorized("Bearer", "send Authorization: Bearer <API key or JWT>", uri);
    }

    @ServerExceptionMapper
    public Response invalidToken(AuthenticationFailedException e, UriInfo uri) {
        denied.count(DeniedRequests.Reason.INVALID_TOKEN);
        return unauthorized("Bearer error=\"invalid_token\"", "the bearer token is not a valid API key or JWT", uri);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        denied.count(DeniedRequests.Reason.FORBIDDEN_ROLE);
        return ProblemMappers.respond(new Problem(ProblemException.type("forbidden"), "Forbidden", 403,
                "this client's roles do not allow this request", path(uri), null, null));
    }

    @ServerExceptionMapper
    public Response rateLimited(Access.RateLimitedException e, UriInfo uri) {
        return Response.fromResponse(ProblemMappers.respond(e.toProblem(path(uri))))
                .header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds()).build();
    }

    private static Response unauthorized(String challenge, String detail, UriInfo uri) {
        return Response.fromResponse(ProblemMappers.respond(new Problem(ProblemException.type("unauthorized"),
                "Unauthorized", 401, detail, path(uri), null, null)))
                .header(HttpHeaders.WWW_AUTHENTICATE, challenge).build();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getRequestUri().getRawPath();
    }
}
