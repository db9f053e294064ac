package dev.conveyor.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.restassured.RestAssuredRequest;
import com.atlassian.oai.validator.restassured.RestAssuredResponse;

import io.restassured.RestAssured;
import io.restassured.filter.FilterContext;
import io.restassured.filter.OrderedFilter;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

/**
 * Holds every exchange of the API tests to the app's own OpenAPI document ({@code /q/openapi}): a response that does
 * not match it fails the test, and so does a request the document forbids that the API accepted (2xx, 3xx). A
 * request the API refused is not checked, as tests send invalid requests on purpose; its answer still is. Installed
 * for every {@code @QuarkusTest} by {@link OpenApiValidationCallback}.
 */
public final class OpenApiValidationFilter implements OrderedFilter {

    private static final OpenApiValidationFilter INSTANCE = new OpenApiValidationFilter();
    /** Answers to paths or methods the document does not have: the framework's 404 and 405, checked by their tests. */
    private static final Set<String> NO_OPERATION = Set.of("validation.request.path.missing",
            "validation.request.operation.notAllowed");

    /** One validator per running app (base URL): each test profile starts the app anew, on a new port. */
    private final Map<String, OpenApiInteractionValidator> validators = new ConcurrentHashMap<>();

    private OpenApiValidationFilter() {
    }

    /** Adds the filter to rest-assured's global filters, once. */
    public static void install() {
        if (!RestAssured.filters().contains(INSTANCE)) {
            RestAssured.filters(INSTANCE);
        }
    }

    @Override
    public int getOrder() {
        // closest to the wire: sees the request as sent and the response as received
        return OrderedFilter.LOWEST_PRECEDENCE;
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification responseSpec,
            FilterContext context) {
        Response response = context.next(request, responseSpec);
        URI uri = URI.create(request.getURI());
        if (uri.getPath().startsWith("/q/")) {
            return response;
        }
        if ("OPTIONS".equals(request.getMethod())) {
            // HTTP's own method, answered for every path (AllowHeaderTest checks it); documents list no OPTIONS operations
            ValidationCounts.unmatched();
            return response;
        }
        OpenApiInteractionValidator validator = validators.computeIfAbsent(
                uri.getScheme() + "://" + uri.getRawAuthority(), OpenApiValidationFilter::load);
        var validated = RestAssuredRequest.of(request);
        boolean accepted = response.statusCode() < 400;
        ValidationReport report = accepted ? validator.validate(validated, RestAssuredResponse.of(response))
                : validator.validateResponse(validated.getPath(), validated.getMethod(), RestAssuredResponse.of(response));
        if (!accepted && !report.getMessages().isEmpty()
                && report.getMessages().stream().allMatch(message -> NO_OPERATION.contains(message.getKey()))) {
            ValidationCounts.unmatched();
            return response;
        }
        ValidationCounts.exchange(accepted);
        if (report.hasErrors()) {
            String messages = report.getMessages().stream()
                    .map(message -> message.getKey() + ": " + message.getMessage())
                    .collect(Collectors.joining("\n  "));
            ValidationCounts.violation(request.getMethod() + " " + uri.getRawPath() + " -> " + response.statusCode()
                    + "\n  " + messages);
            throw new AssertionError(request.getMethod() + " " + uri + " answered " + response.statusCode()
                    + ", which does not match the OpenAPI document:\n  " + messages + "\nbody: " + response.asString());
        }
        return response;
    }

    /** The app's document, fetched without rest-assured so that the fetch is not itself filtered. */
    private static OpenApiInteractionValidator load(String base) {
        try {
            // HTTP/1.1: the client's default h2c upgrade once read the document's first bytes as an HTTP/2 frame
            HttpResponse<String> document = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                    HttpRequest.newBuilder(URI.create(base + "/q/openapi?format=json")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (document.statusCode() != 200) {
                throw new IllegalStateException("GET /q/openapi answered " + document.statusCode());
            }
            return OpenApiInteractionValidator.createForInlineApiSpecification(document.body())
                    // tests run with access control off: no request carries credentials
                    .withLevelResolver(LevelResolver.create()
                            .withLevel("validation.request.security", ValidationReport.Level.IGNORE).build())
                    .build();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the OpenAPI document of " + base, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading the OpenAPI document of " + base, e);
        }
    }
}
