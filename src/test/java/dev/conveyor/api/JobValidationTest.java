package dev.conveyor.api;

import static dev.conveyor.testing.Jobs.countsOf;
import static dev.conveyor.testing.Jobs.post;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static dev.conveyor.testing.Problems.assertInvalid;
import static dev.conveyor.testing.Problems.assertProblem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * POST /jobs with invalid requests: every field, payloads per job type, wrong JSON types, unknown fields. Each
 * answer must be a 422 problem whose errors name the field, and no job may be enqueued.
 */
@QuarkusTest
class JobValidationTest {

    /** {case, JSON body (QUEUE is replaced by a fresh queue), field the errors must name}. */
    static Stream<Arguments> invalidRequests() {
        return Stream.of(
                Arguments.of("type missing", "{\"queue\":\"QUEUE\"}", "type"),
                Arguments.of("type null", "{\"type\":null,\"queue\":\"QUEUE\"}", "type"),
                Arguments.of("type empty", "{\"type\":\"\",\"queue\":\"QUEUE\"}", "type"),
                Arguments.of("type blank", "{\"type\":\"   \",\"queue\":\"QUEUE\"}", "type"),
                Arguments.of("type unknown", "{\"type\":\"no-such-type\",\"queue\":\"QUEUE\"}", "type"),
                Arguments.of("type an object", "{\"type\":{\"name\":\"echo\"},\"queue\":\"QUEUE\"}", "type"),
                Arguments.of("payload a string", "{\"type\":\"echo\",\"payload\":\"hello\",\"queue\":\"QUEUE\"}",
                        "payload"),
                Arguments.of("payload an array", "{\"type\":\"echo\",\"payload\":[1,2],\"queue\":\"QUEUE\"}",
                        "payload"),
                Arguments.of("payload a number", "{\"type\":\"echo\",\"payload\":42,\"queue\":\"QUEUE\"}", "payload"),
                Arguments.of("sleep without ms", "{\"type\":\"sleep\",\"payload\":{},\"queue\":\"QUEUE\"}",
                        "payload.ms"),
                Arguments.of("sleep without payload", "{\"type\":\"sleep\",\"queue\":\"QUEUE\"}", "payload.ms"),
                Arguments.of("sleep negative ms", "{\"type\":\"sleep\",\"payload\":{\"ms\":-1},\"queue\":\"QUEUE\"}",
                        "payload.ms"),
                Arguments.of("sleep ms too long",
                        "{\"type\":\"sleep\",\"payload\":{\"ms\":86400001},\"queue\":\"QUEUE\"}", "payload.ms"),
                Arguments.of("sleep ms not a number",
                        "{\"type\":\"sleep\",\"payload\":{\"ms\":\"soon\"},\"queue\":\"QUEUE\"}", "payload.ms"),
                Arguments.of("sleep failTimes too high",
                        "{\"type\":\"sleep\",\"payload\":{\"ms\":1,\"failTimes\":101},\"queue\":\"QUEUE\"}",
                        "payload.failTimes"),
                Arguments.of("sleep unknown payload field",
                        "{\"type\":\"sleep\",\"payload\":{\"ms\":1,\"colour\":\"red\"},\"queue\":\"QUEUE\"}",
                        "payload.colour"),
                Arguments.of("primes without highest",
                        "{\"type\":\"primes\",\"payload\":{\"lowest\":1},\"queue\":\"QUEUE\"}", "payload.highest"),
                Arguments.of("primes negative lowest",
                        "{\"type\":\"primes\",\"payload\":{\"lowest\":-5,\"highest\":10},\"queue\":\"QUEUE\"}",
                        "payload.lowest"),
                Arguments.of("http bad url",
                        "{\"type\":\"http\",\"payload\":{\"method\":\"GET\",\"url\":\"not a url\"},\"queue\":\"QUEUE\"}",
                        "payload.url"),
                Arguments.of("http ftp url",
                        "{\"type\":\"http\",\"payload\":{\"method\":\"GET\",\"url\":\"ftp://example.com/x\"},"
                                + "\"queue\":\"QUEUE\"}",
                        "payload.url"),
                Arguments.of("http missing url",
                        "{\"type\":\"http\",\"payload\":{\"method\":\"GET\"},\"queue\":\"QUEUE\"}", "payload.url"),
                Arguments.of("http bad method",
                        "{\"type\":\"http\",\"payload\":{\"method\":\"FETCH\",\"url\":\"https://example.com\"},"
                                + "\"queue\":\"QUEUE\"}",
                        "payload.method"),
                Arguments.of("http lower-case method",
                        "{\"type\":\"http\",\"payload\":{\"method\":\"get\",\"url\":\"https://example.com\"},"
                                + "\"queue\":\"QUEUE\"}",
                        "payload.method"),
                Arguments.of("http header not text",
                        "{\"type\":\"http\",\"payload\":{\"method\":\"GET\",\"url\":\"https://example.com\","
                                + "\"headers\":{\"x\":{\"a\":1}}},\"queue\":\"QUEUE\"}",
                        "payload.headers.x"),
                Arguments.of("queue empty", "{\"type\":\"echo\",\"queue\":\"\"}", "queue"),
                Arguments.of("queue upper case", "{\"type\":\"echo\",\"queue\":\"Reports\"}", "queue"),
                Arguments.of("queue starting with dash", "{\"type\":\"echo\",\"queue\":\"-reports\"}", "queue"),
                Arguments.of("queue with a dot", "{\"type\":\"echo\",\"queue\":\"a.b\"}", "queue"),
                Arguments.of("queue with a space", "{\"type\":\"echo\",\"queue\":\"a b\"}", "queue"),
                Arguments.of("queue with braces", "{\"type\":\"echo\",\"queue\":\"a{b}\"}", "queue"),
                Arguments.of("queue 65 characters", "{\"type\":\"echo\",\"queue\":\"" + "q".repeat(65) + "\"}",
                        "queue"),
                Arguments.of("queue an array", "{\"type\":\"echo\",\"queue\":[\"a\"]}", "queue"),
                Arguments.of("priority 0", "{\"type\":\"echo\",\"priority\":0,\"queue\":\"QUEUE\"}", "priority"),
                Arguments.of("priority 11", "{\"type\":\"echo\",\"priority\":11,\"queue\":\"QUEUE\"}", "priority"),
                Arguments.of("priority negative", "{\"type\":\"echo\",\"priority\":-1,\"queue\":\"QUEUE\"}",
                        "priority"),
                Arguments.of("priority a word", "{\"type\":\"echo\",\"priority\":\"abc\",\"queue\":\"QUEUE\"}",
                        "priority"),
                Arguments.of("priority a boolean", "{\"type\":\"echo\",\"priority\":true,\"queue\":\"QUEUE\"}",
                        "priority"),
                Arguments.of("priority beyond int", "{\"type\":\"echo\",\"priority\":99999999999,\"queue\":\"QUEUE\"}",
                        "priority"),
                Arguments.of("priority an object", "{\"type\":\"echo\",\"priority\":{},\"queue\":\"QUEUE\"}",
                        "priority"),
                Arguments.of("maxAttempts 0", "{\"type\":\"echo\",\"maxAttempts\":0,\"queue\":\"QUEUE\"}",
                        "maxAttempts"),
                Arguments.of("maxAttempts 101", "{\"type\":\"echo\",\"maxAttempts\":101,\"queue\":\"QUEUE\"}",
                        "maxAttempts"),
                Arguments.of("maxAttempts a word", "{\"type\":\"echo\",\"maxAttempts\":\"many\",\"queue\":\"QUEUE\"}",
                        "maxAttempts"),
                Arguments.of("runAt not a date", "{\"type\":\"echo\",\"runAt\":\"tomorrow\",\"queue\":\"QUEUE\"}",
                        "runAt"),
                Arguments.of("runAt without offset",
                        "{\"type\":\"echo\",\"runAt\":\"2030-01-01T09:00:00\",\"queue\":\"QUEUE\"}", "runAt"),
                Arguments.of("runAt date only", "{\"type\":\"echo\",\"runAt\":\"2030-01-01\",\"queue\":\"QUEUE\"}",
                        "runAt"),
                Arguments.of("runAt month 13",
                        "{\"type\":\"echo\",\"runAt\":\"2030-13-01T09:00:00Z\",\"queue\":\"QUEUE\"}", "runAt"),
                Arguments.of("runAt epoch number", "{\"type\":\"echo\",\"runAt\":1893488400,\"queue\":\"QUEUE\"}",
                        "runAt"),
                Arguments.of("delay not a duration", "{\"type\":\"echo\",\"delay\":\"10 minutes\",\"queue\":\"QUEUE\"}",
                        "delay"),
                Arguments.of("delay in years", "{\"type\":\"echo\",\"delay\":\"P1Y\",\"queue\":\"QUEUE\"}", "delay"),
                Arguments.of("delay negative", "{\"type\":\"echo\",\"delay\":\"-PT1M\",\"queue\":\"QUEUE\"}", "delay"),
                Arguments.of("delay over a year", "{\"type\":\"echo\",\"delay\":\"P366D\",\"queue\":\"QUEUE\"}",
                        "delay"),
                Arguments.of("runAt and delay",
                        "{\"type\":\"echo\",\"runAt\":\"2020-01-01T09:00:00Z\",\"delay\":\"PT1M\",\"queue\":\"QUEUE\"}",
                        "delay"),
                Arguments.of("timeout not a duration", "{\"type\":\"echo\",\"timeout\":\"30s\",\"queue\":\"QUEUE\"}",
                        "timeout"),
                Arguments.of("timeout zero", "{\"type\":\"echo\",\"timeout\":\"PT0S\",\"queue\":\"QUEUE\"}", "timeout"),
                Arguments.of("timeout negative", "{\"type\":\"echo\",\"timeout\":\"-PT5S\",\"queue\":\"QUEUE\"}",
                        "timeout"),
                Arguments.of("timeout over a day", "{\"type\":\"echo\",\"timeout\":\"PT24H1S\",\"queue\":\"QUEUE\"}",
                        "timeout"),
                Arguments.of("idempotencyKey too long",
                        "{\"type\":\"echo\",\"idempotencyKey\":\"" + "k".repeat(256) + "\",\"queue\":\"QUEUE\"}",
                        "idempotencyKey"),
                Arguments.of("idempotencyKey empty", "{\"type\":\"echo\",\"idempotencyKey\":\"\",\"queue\":\"QUEUE\"}",
                        "idempotencyKey"),
                Arguments.of("idempotencyKey with a space",
                        "{\"type\":\"echo\",\"idempotencyKey\":\"a b\",\"queue\":\"QUEUE\"}", "idempotencyKey"),
                Arguments.of("idempotencyKey not ASCII",
                        "{\"type\":\"echo\",\"idempotencyKey\":\"cl\u00e9\",\"queue\":\"QUEUE\"}", "idempotencyKey"),
                Arguments.of("send_email without to", email("\"subject\":\"Hi\",\"text\":\"x\""), "payload.to"),
                Arguments.of("send_email to empty", email("\"to\":[],\"subject\":\"Hi\",\"text\":\"x\""),
                        "payload.to"),
                Arguments.of("send_email third to not an address",
                        email("\"to\":[\"a@example.com\",\"b@example.com\",\"not an address\"],"
                                + "\"subject\":\"Hi\",\"text\":\"x\""),
                        "payload.to[2]"),
                Arguments.of("send_email to with a header injected",
                        email("\"to\":\"a@example.com\\r\\nBcc: x@example.net\",\"subject\":\"Hi\",\"text\":\"x\""),
                        "payload.to[0]"),
                Arguments.of("send_email two addresses in one",
                        email("\"to\":\"a@example.com, b@example.com\",\"subject\":\"Hi\",\"text\":\"x\""),
                        "payload.to[0]"),
                Arguments.of("send_email cc without domain",
                        email("\"to\":\"a@example.com\",\"cc\":\"carol\",\"subject\":\"Hi\",\"text\":\"x\""),
                        "payload.cc[0]"),
                Arguments.of("send_email bcc at an IP literal",
                        email("\"to\":\"a@example.com\",\"bcc\":[\"x@[127.0.0.1]\"],\"subject\":\"Hi\","
                                + "\"text\":\"x\""),
                        "payload.bcc[0]"),
                Arguments.of("send_email replyTo a group",
                        email("\"to\":\"a@example.com\",\"replyTo\":\"team: a@example.com;\",\"subject\":\"Hi\","
                                + "\"text\":\"x\""),
                        "payload.replyTo"),
                Arguments.of("send_email from not allowed",
                        email("\"to\":\"a@example.com\",\"from\":\"ceo@example.net\",\"subject\":\"Hi\","
                                + "\"text\":\"x\""),
                        "payload.from"),
                Arguments.of("send_email without subject", email("\"to\":\"a@example.com\",\"text\":\"x\""),
                        "payload.subject"),
                Arguments.of("send_email subject with a line break",
                        email("\"to\":\"a@example.com\",\"subject\":\"Hi\\r\\nBcc: x@example.net\",\"text\":\"x\""),
                        "payload.subject"),
                Arguments.of("send_email subject too long",
                        email("\"to\":\"a@example.com\",\"subject\":\"" + "s".repeat(256) + "\",\"text\":\"x\""),
                        "payload.subject"),
                Arguments.of("send_email without a body", email("\"to\":\"a@example.com\",\"subject\":\"Hi\""),
                        "payload.text"),
                Arguments.of("send_email unknown template",
                        email("\"to\":\"a@example.com\",\"subject\":\"Hi\",\"template\":\"no-such-template\""),
                        "payload.template"),
                Arguments.of("send_email template as a path",
                        email("\"to\":\"a@example.com\",\"subject\":\"Hi\",\"template\":\"../welcome\""),
                        "payload.template"),
                Arguments.of("send_email template and text",
                        email("\"to\":\"a@example.com\",\"subject\":\"Hi\",\"template\":\"welcome\","
                                + "\"text\":\"x\""),
                        "payload.text"),
                Arguments.of("send_email data without template",
                        email("\"to\":\"a@example.com\",\"subject\":\"Hi\",\"text\":\"x\",\"data\":{\"a\":1}"),
                        "payload.data"),
                Arguments.of("send_email data not an object",
                        email("\"to\":\"a@example.com\",\"subject\":\"Hi\",\"template\":\"welcome\","
                                + "\"data\":[1]"),
                        "payload.data"),
                Arguments.of("send_email 51 recipients",
                        email("\"to\":" + addresses(30) + ",\"bcc\":" + addresses(21) + ",\"subject\":\"Hi\","
                                + "\"text\":\"x\""),
                        "payload.to"),
                Arguments.of("send_email unknown payload field",
                        email("\"to\":\"a@example.com\",\"subject\":\"Hi\",\"text\":\"x\",\"attachments\":[]"),
                        "payload.attachments"),
                Arguments.of("unknown top-level field", "{\"type\":\"echo\",\"prority\":1,\"queue\":\"QUEUE\"}",
                        "prority"),
                Arguments.of("unknown top-level object field",
                        "{\"type\":\"echo\",\"queue\":\"QUEUE\",\"extra\":{\"a\":[1]}}", "extra"));
    }

    /** A send_email job request with these payload fields. */
    private static String email(String payloadFields) {
        return "{\"type\":\"send_email\",\"queue\":\"QUEUE\",\"payload\":{" + payloadFields + "}}";
    }

    /** A JSON array of {@code n} distinct valid addresses. */
    private static String addresses(int n) {
        return IntStream.range(0, n).mapToObj(i -> "\"r" + i + "@example.com\"")
                .collect(Collectors.joining(",", "[", "]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRequests")
    void invalidRequestIs422NamingTheFieldAndEnqueuesNothing(String name, String body, String field) {
        String queue = uniqueQueue();
        assertInvalid(post("/jobs", body.replace("QUEUE", queue)).then(), field);
        assertThat(countsOf(queue)).as("counts of the refused job's queue %s", queue).isNull();
    }

    /** Each row: a body, the one field its answer names, and that field's exact message (clients show these texts). */
    @ParameterizedTest(name = "{1}: {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {"queue":"QUEUE"} | type | is required
            {"type":"echo","payload":[1]} | payload | must be a JSON object
            {"type":"echo","queue":"Reports"} | queue | must match [a-z0-9][a-z0-9_-]{0,63}
            {"type":"echo","priority":11} | priority | must be between 1 (highest) and 10 (lowest)
            {"type":"echo","priority":0} | priority | must be between 1 (highest) and 10 (lowest)
            {"type":"echo","maxAttempts":101} | maxAttempts | must be between 1 and 100
            {"type":"echo","maxAttempts":0} | maxAttempts | must be between 1 and 100
            {"type":"echo","runAt":"tomorrow"} | runAt | must be an RFC 3339 date-time with offset, such as 2030-01-01T09:00:00Z
            {"type":"echo","delay":"P366D"} | delay | must be at most P365D (conveyor.api.max-schedule-ahead)
            {"type":"echo","delay":"-PT1S"} | delay | must be an ISO-8601 duration of zero or more, such as PT10M
            {"type":"echo","runAt":"2020-01-01T09:00:00Z","delay":"PT1M"} | delay | give either runAt or delay, not both
            {"type":"echo","timeout":"PT0S"} | timeout | must be an ISO-8601 duration above zero, such as PT30S
            {"type":"echo","timeout":"PT24H1S"} | timeout | must be at most PT24H (conveyor.api.max-timeout)
            {"type":"echo","backoff":{"initialDelay":"PT0S"}} | backoff.initialDelay | must be an ISO-8601 duration above zero, such as PT5S
            {"type":"echo","backoff":{"initialDelay":"P366D"}} | backoff.initialDelay | must be an ISO-8601 duration above zero, such as PT5S
            {"type":"echo","backoff":{}} | backoff.initialDelay | must be an ISO-8601 duration above zero, such as PT5S
            {"type":"echo","backoff":{"maxDelay":"PT1M"}} | backoff.initialDelay | must be an ISO-8601 duration above zero, such as PT5S
            {"type":"echo","backoff":{"initialDelay":"PT5S","maxDelay":"PT1S"}} | backoff.maxDelay | must be an ISO-8601 duration at least initialDelay and at most P365D
            {"type":"echo","backoff":{"initialDelay":"PT5S","maxDelay":"P366D"}} | backoff.maxDelay | must be an ISO-8601 duration at least initialDelay and at most P365D
            {"type":"echo","backoff":{"initialDelay":"PT5S","maxDelay":"soon"}} | backoff.maxDelay | must be an ISO-8601 duration at least initialDelay and at most P365D
            {"type":"echo","idempotencyKey":"a b"} | idempotencyKey | must be 1 to 255 visible ASCII characters
            {"type":"send_email","payload":{"to":["a@example.com","b@example"],"subject":"Hi","text":"x"}} | payload.to[1] | must be at a host name such as example.com
            {"type":"send_email","payload":{"to":"a@example.com","from":"ceo@example.net","subject":"Hi","text":"x"}} | payload.from | is not an allowed sender (conveyor.email.from, conveyor.email.allowed-from)
            {"type":"send_email","payload":{"to":"a@example.com","subject":"Hi","template":"nope"}} | payload.template | is not a known template
            {"type":"send_email","payload":{"to":"a@example.com","subject":"Hi"}} | payload.text | one of text, html or template is required
            """)
    void invalidFieldGetsItsExactMessageOnce(String body, String field, String message) {
        assertInvalid(post("/jobs", body.replace("QUEUE", uniqueQueue())).then(), field)
                .body("errors", hasSize(1))
                .body("errors[0].message", equalTo(message))
                .body("detail", equalTo(field + ": " + message));
    }

    @Test
    void unknownTypeMessageListsTheKnownTypes() {
        assertInvalid(post("/jobs", "{\"type\":\"fax\"}").then(), "type")
                .body("errors", hasSize(1))
                .body("errors[0].message", containsString("echo"))
                .body("errors[0].message", containsString("http"))
                .body("errors[0].message", containsString("primes"))
                .body("errors[0].message", containsString("sleep"))
                .body("detail", containsString("type"))
                .body("instance", equalTo("/jobs"));
    }

    @Test
    void primesWithHighestBelowLowestIsRefusedNamingThePayload() {
        assertProblem(post("/jobs", "{\"type\":\"primes\",\"payload\":{\"lowest\":100,\"highest\":10}}").then(), 422)
                .body("errors", hasSize(1))
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("payload.highest"))
                .body("errors[0].message", containsString("lowest"));
    }

    /** Cross-field rules of primes and http name the field at fault, not the rule. */
    @Test
    void crossFieldPayloadErrorsNameARealField() {
        assertInvalid(post("/jobs", "{\"type\":\"primes\",\"payload\":{\"lowest\":100,\"highest\":10}}").then(),
                "payload.highest");
        assertInvalid(post("/jobs", "{\"type\":\"http\",\"payload\":{\"method\":\"GET\",\"url\":\"https://example.com\","
                + "\"timeout\":\"PT11M\"}}").then(), "payload.timeout");
    }

    @Test
    void primesRangeTooWideIsRefused() {
        assertProblem(post("/jobs", "{\"type\":\"primes\",\"payload\":{\"lowest\":0,\"highest\":1000001}}").then(), 422)
                .body("errors[0].field", org.hamcrest.Matchers.startsWith("payload"));
    }

    @Test
    void httpTimeoutOutOfRangeIsRefused() {
        assertProblem(post("/jobs", "{\"type\":\"http\",\"payload\":{\"method\":\"GET\",\"url\":\"https://example.com\","
                + "\"timeout\":\"PT11M\"}}").then(), 422)
                .body("errors[0].field", org.hamcrest.Matchers.startsWith("payload"));
    }

    @Test
    void everyInvalidFieldIsReportedAtOnce() {
        assertInvalid(post("/jobs", "{\"type\":\"sleep\",\"payload\":{},\"queue\":\"BAD\",\"priority\":0,"
                + "\"maxAttempts\":0,\"runAt\":\"never\",\"timeout\":\"PT0S\",\"idempotencyKey\":\"\"}").then(), "payload.ms")
                .body("errors.field", hasItems("payload.ms", "queue", "priority", "maxAttempts", "runAt", "timeout",
                        "idempotencyKey"))
                .body("errors", hasSize(7))
                .body("detail", containsString("7"));
    }

    @Test
    void primesWithoutPayloadNamesBothBounds() {
        assertInvalid(post("/jobs", "{\"type\":\"primes\"}").then(), "payload.lowest")
                .body("errors.field", hasItems("payload.lowest", "payload.highest"));
    }

    @Test
    void idempotencyKeyHeaderIsValidatedToo() {
        assertInvalid(given().contentType(ContentType.JSON).header("Idempotency-Key", "k".repeat(256))
                .body("{\"type\":\"echo\"}").when().post("/jobs").then(), "idempotencyKey");
    }

    @Test
    void idempotencyKeyHeaderDifferentFromTheBodyFieldIsRefused() {
        assertInvalid(given().contentType(ContentType.JSON).header("Idempotency-Key", "one")
                .body("{\"type\":\"echo\",\"idempotencyKey\":\"two\"}").when().post("/jobs").then(), "idempotencyKey")
                .body("errors[0].message", equalTo("differs from the Idempotency-Key header"));
    }

    @Test
    void aTypeAloneIsValid() {
        post("/jobs", "{\"type\":\"echo\",\"queue\":\"" + uniqueQueue() + "\"}").then().statusCode(201)
                .body("error", nullValue());
    }
}
