package dev.conveyor.api;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import dev.conveyor.handler.PayloadReader;
import dev.conveyor.queue.BulkInterruptedException;
import dev.conveyor.queue.OutcomeUnknownException;
import dev.conveyor.queue.RedisFullException;
import dev.conveyor.events.EventStreams;
import dev.conveyor.queue.RedisUnavailableException;
import io.quarkus.arc.properties.UnlessBuildProperty;

/**
 * Every error the API gives is an RFC 9457 problem body. Not {@code @ApiRole}: Quarkus REST generates a mapper bean
 * per method that injects this class and ignores build conditions on stereotypes, so the worker build would fail.
 */
@UnlessBuildProperty(name = "conveyor.role", stringValue = "worker", enableIfMissing = true)
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    private final ApiConfig config;
    private final AllowedMethods allowed;

    ProblemMappers(ApiConfig config, AllowedMethods allowed) {
        this.config = config;
        this.allowed = allowed;
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return respond(e.toProblem(path(uri)));
    }

    @ServerExceptionMapper
    public Response redisDown(RedisUnavailableException e, UriInfo uri) {
        LOG.warnf("answering 503: %s", e.getMessage());
        String detail = e instanceof RedisFullException ? "the job store (Redis) is full; try again later"
                : "the job store (Redis) is not reachable; try again later";
        return retryLater(new Problem(ProblemException.type("unavailable"), "Service unavailable", 503, detail,
                path(uri), null, null));
    }

    /** A bulk action on a queue that Redis cut short: its chunks are atomic, and the answer says how many jobs it did. */
    @ServerExceptionMapper
    public Response bulkInterrupted(BulkInterruptedException e, UriInfo uri) {
        LOG.warnf("answering 503: %s", e.getMessage());
        return retryLater(new Problem(ProblemException.type("unavailable"), "Service unavailable", 503,
                "the job store (Redis) is not reachable; " + e.done() + " jobs were done before (member done); "
                        + "send the request again for the rest", path(uri), null, Map.of("done", e.done())));
    }

    @ServerExceptionMapper
    public Response tooManyStreams(EventStreams.TooManyStreams e, UriInfo uri) {
        LOG.warnf("answering 503: %s", e.getMessage());
        return retryLater(new Problem(ProblemException.type("too-many-streams"), "Too many event streams", 503,
                e.getMessage() + "; try again later, or another instance", path(uri), null, null));
    }

    /**
     * Redis did not answer an enqueue in time: unlike a refusal, the jobs may exist (a paused or slow Redis runs the
     * call later), under the ids assigned before the call. Said so, so that the client looks them up instead of
     * enqueueing them again.
     */
    @ServerExceptionMapper
    public Response outcomeUnknown(OutcomeUnknownException e, UriInfo uri) {
        LOG.warnf("answering 503 outcome-unknown: %s", e.getMessage());
        List<String> ids = e.jobIds().stream().map(Object::toString).toList();
        String detail = e.single()
                ? "the job store (Redis) did not answer in time: job " + ids.get(0) + " may exist, now or later; look "
                        + "it up with GET /jobs/" + ids.get(0) + " before enqueueing it again (a request with an "
                        + "idempotency key can be sent again as it is)"
                : "the job store (Redis) did not answer in time: the " + ids.size() + " jobs of jobIds may exist, now "
                        + "or later; look them up with GET /jobs/{id} before enqueueing them again (jobs with "
                        + "idempotency keys can be sent again as they are)";
        return retryLater(new Problem(ProblemException.type("outcome-unknown"), "Outcome unknown", 503, detail,
                path(uri), null, e.single() ? Map.of("jobId", ids.get(0)) : Map.of("jobIds", ids)));
    }

    private Response retryLater(Problem problem) {
        return Response.fromResponse(respond(problem))
                .header("Retry-After", Math.max(1, config.retryAfter().toSeconds())).build();
    }

    /**
     * Bodies Jackson cannot bind: malformed JSON is a 400 (wherever the syntax error is); well-formed JSON with a
     * bad field is a 422 naming it. Jackson's own messages name Java classes, so they stay in the log.
     */
    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e, UriInfo uri) {
        String field = e instanceof JsonMappingException mapping ? PayloadReader.jsonPath(mapping) : "";
        if (field.isEmpty() || isSyntaxError(e)) {
            LOG.debugf("unreadable body of %s: %s", path(uri), e.getOriginalMessage());
            String detail = isSyntaxError(e) ? "the body is not valid JSON" + where(e)
                    : "the body is not a JSON object of the documented shape";
            return respond(new Problem(ProblemException.type("malformed-json"), "Malformed JSON", 400, detail,
                    path(uri), null, null));
        }
        String message = e instanceof UnrecognizedPropertyException ? "is not a known field"
                : "has the wrong type or format";
        return respond(ProblemException.invalid(List.of(new Problem.FieldError(field, message))).toProblem(path(uri)));
    }

    /**
     * Unknown fields and values of the wrong type. Quarkus has a built-in mapper for this exception (a 400 that is
     * not a problem); this one, being the application's, takes precedence.
     */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e, UriInfo uri) {
        return unreadable(e, uri);
    }

    /** Where in the body parsing stopped, when Jackson knows. */
    private static String where(JsonProcessingException e) {
        var location = e.getLocation();
        return location == null || location.getLineNr() < 1 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /** A syntax error, possibly wrapped with the path where it happened (e.g. inside {@code payload}). */
    private static boolean isSyntaxError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JsonParseException || t instanceof StreamConstraintsException) {
                return true;
            }
        }
        return false;
    }

    /** 404 for unknown paths, 405 (with the path's methods in Allow), 406, 415 and the like. */
    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadable(json, uri);
        }
        String allow = (status == 405 || status == 404) && uri != null ? allowed.allow(uri.getPath()) : null;
        if (status == 404 && allow != null) {
            // the path exists with other methods: Quarkus REST answers 404 when a path's methods span resource classes
            status = 405;
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        // the framework's messages may name Java classes (a body reader, a parameter type): the status says enough
        Response response = respond(new Problem(ProblemException.type(Integer.toString(status)), title, status,
                "HTTP " + status + " " + title, path(uri), null, null));
        return status != 405 || allow == null ? response : Response.fromResponse(response).header(HttpHeaders.ALLOW, allow).build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        LOG.error("unexpected error answering " + path(uri), e);
        return respond(new Problem(ProblemException.type("internal"), "Internal error", 500,
                "an unexpected error occurred; it has been logged", path(uri), null, null));
    }

    static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getRequestUri().getRawPath();
    }
}
