package dev.conveyor.testing;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Every endpoint of the API against every kind of caller, with the status each must get. Shared by the
 * {@code @QuarkusTest} and the test of the packaged jar, so that both prove the same table.
 *
 * <p>Callers: no token, an unknown token, one key per role granted queue {@value #QUEUE}, and a key holding submit and
 * manage for another queue only ("elsewhere"). The endpoints act on a succeeded job of {@value #QUEUE}, so that
 * cancel and re-run answer 409 when allowed and change nothing.
 */
public final class AccessMatrix {

    public static final String QUEUE = "billing";
    public static final String OTHER_QUEUE = "emails";

    public static final String SUBMIT = "cvk_matrix-submit-7Hn2Qw9LzP4kVx1Ra8Tc3Yb6Md0Fg5Je";
    public static final String READ = "cvk_matrix-read-2Gm8Xs4NvB7qLw1Tz6Kc9Rd3Hp0Yf5Ja";
    public static final String MANAGE = "cvk_matrix-manage-5Vq1Lm8Zt3Wx6Nb9Hc2Rk7Pd0Gy4Fj";
    public static final String ELSEWHERE = "cvk_matrix-elsewhere-9Cz4Hw1Qm7Lx2Tb5Nv8Rk3Pd6Yg0J";
    public static final String UNKNOWN = "cvk_not-a-key-of-this-service-0000000000000000";

    /** The callers, in the order of the table's columns; null: no Authorization header. */
    public static final List<String> CALLERS = List.of("none", "unknown", "submit", "read", "manage", "admin",
            "elsewhere");

    private AccessMatrix() {
    }

    /** The keys file entries of the callers. */
    public static List<TestKeys.Entry> keys() {
        return List.of(TestKeys.admin(),
                new TestKeys.Entry("matrix-submit", SUBMIT, List.of("submit"), List.of(QUEUE), null),
                new TestKeys.Entry("matrix-read", READ, List.of("read"), List.of(QUEUE), null),
                new TestKeys.Entry("matrix-manage", MANAGE, List.of("manage"), List.of(QUEUE), null),
                new TestKeys.Entry("matrix-elsewhere", ELSEWHERE, List.of("submit", "manage"), List.of(OTHER_QUEUE),
                        null));
    }

    static String token(String caller) {
        return switch (caller) {
            case "none" -> null;
            case "unknown" -> UNKNOWN;
            case "submit" -> SUBMIT;
            case "read" -> READ;
            case "manage" -> MANAGE;
            case "admin" -> TestKeys.ADMIN;
            case "elsewhere" -> ELSEWHERE;
            default -> throw new IllegalArgumentException(caller);
        };
    }

    /** One endpoint and the status of each caller, in {@link #CALLERS} order. */
    public record Row(String method, String path, String body, int... statuses) {
        String describe() {
            return method + " " + path;
        }
    }

    /**
     * The table. {@code id} is a succeeded job of {@value #QUEUE}. Columns: none, unknown, submit, read, manage, admin,
     * elsewhere.
     */
    public static List<Row> rows(String id) {
        String job = "{\"type\":\"echo\",\"queue\":\"" + QUEUE + "\",\"payload\":{\"n\":1}}";
        String batch = "{\"jobs\":[" + job + "," + job + "]}";
        String schedule = "{\"name\":\"matrix\",\"every\":\"PT1H\",\"job\":" + job + "}";
        return List.of(
                new Row("POST", "/jobs", job, 401, 401, 201, 403, 403, 201, 403),
                new Row("POST", "/jobs/batch", batch, 401, 401, 201, 403, 403, 201, 403),
                new Row("GET", "/jobs/" + id, null, 401, 401, 200, 200, 200, 200, 403),
                new Row("GET", "/jobs/" + id + "/result", null, 401, 401, 200, 200, 200, 200, 403),
                new Row("GET", "/jobs/" + id + "/result?wait=PT1S", null, 401, 401, 200, 200, 200, 200, 403),
                new Row("GET", "/jobs/" + id + "/events", null, 401, 401, 200, 200, 200, 200, 403),
                // the table's job is an echo job, which attaches no artifact: 404 no-artifact once let through
                new Row("GET", "/jobs/" + id + "/artifact", null, 401, 401, 404, 404, 404, 404, 403),
                new Row("GET", "/jobs?queue=" + QUEUE, null, 401, 401, 403, 200, 200, 200, 403),
                new Row("GET", "/jobs", null, 401, 401, 403, 200, 200, 200, 200),
                new Row("DELETE", "/jobs/" + id, null, 401, 401, 403, 403, 409, 409, 403),
                new Row("POST", "/jobs/" + id + "/retry", null, 401, 401, 403, 403, 409, 409, 403),
                new Row("GET", "/queues", null, 401, 401, 403, 200, 200, 200, 200),
                new Row("GET", "/queues/" + QUEUE, null, 401, 401, 403, 200, 200, 200, 403),
                new Row("POST", "/queues/" + QUEUE + "/pause", null, 401, 401, 403, 403, 200, 200, 403),
                new Row("POST", "/queues/" + QUEUE + "/resume", null, 401, 401, 403, 403, 200, 200, 403),
                new Row("PUT", "/queues/" + QUEUE + "/limits", "{\"rate\":\"100/s\",\"concurrency\":50}",
                        401, 401, 403, 403, 200, 200, 403),
                new Row("DELETE", "/queues/" + QUEUE + "/limits", null, 401, 401, 403, 403, 204, 204, 403),
                new Row("DELETE", "/queues/no-such-queue", null, 401, 401, 403, 403, 403, 404, 403),
                new Row("POST", "/queues/" + QUEUE + "/retry-failed", null, 401, 401, 403, 403, 200, 200, 403),
                new Row("POST", "/queues/" + QUEUE + "/drain", null, 401, 401, 403, 403, 200, 200, 403),
                // cancelled, not succeeded: the table's own job stays
                new Row("DELETE", "/queues/" + QUEUE + "/jobs?status=cancelled", null, 401, 401, 403, 403, 200, 200,
                        403),
                new Row("GET", "/stats", null, 401, 401, 403, 200, 200, 200, 200),
                new Row("GET", "/workers", null, 401, 401, 403, 200, 200, 200, 200),
                new Row("GET", "/me", null, 401, 401, 200, 200, 200, 200, 200),
                // schedules belong to their job's queue; one of a queue not granted is answered as not found
                new Row("POST", "/schedules", schedule, 401, 401, 403, 403, 201, 409, 403),
                new Row("PUT", "/schedules/matrix", schedule, 401, 401, 403, 403, 200, 200, 403),
                new Row("GET", "/schedules", null, 401, 401, 403, 200, 200, 200, 200),
                new Row("GET", "/schedules/matrix", null, 401, 401, 403, 200, 200, 200, 404),
                new Row("POST", "/schedules/matrix/pause", null, 401, 401, 403, 403, 200, 200, 404),
                new Row("POST", "/schedules/matrix/resume", null, 401, 401, 403, 403, 200, 200, 404),
                new Row("DELETE", "/schedules/matrix", null, 401, 401, 403, 403, 204, 404, 404));
    }

    /** A succeeded job of {@value #QUEUE}, made with the admin key through the API at {@code base}. */
    public static String succeededJob(RequestSpecification base) {
        String id = given(base).header("Authorization", TestKeys.bearer(TestKeys.ADMIN)).contentType(ContentType.JSON)
                .body("{\"type\":\"echo\",\"queue\":\"" + QUEUE + "\",\"payload\":{\"n\":0}}")
                .when().post("/jobs").then().statusCode(201).extract().path("id");
        Awaitility.await("job " + id + " succeeded").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> "succeeded".equals(given(base).header("Authorization", TestKeys.bearer(TestKeys.ADMIN))
                        .when().get("/jobs/" + id).path("status")));
        return id;
    }

    /**
     * Sends every cell and returns the cells that got another status than the table's (empty: all as expected), so
     * that one run reports every wrong cell at once. Refusals must be problem bodies; 401 carries the Bearer challenge.
     */
    public static List<String> mismatches(RequestSpecification base, String id) {
        List<String> wrong = new ArrayList<>();
        for (Row row : rows(id)) {
            for (int c = 0; c < CALLERS.size(); c++) {
                String caller = CALLERS.get(c);
                Response response = send(base, row, token(caller));
                int expected = row.statuses()[c];
                if (response.statusCode() != expected) {
                    wrong.add(row.describe() + " as " + caller + ": " + response.statusCode() + ", expected "
                            + expected + " " + response.asString());
                } else if (expected == 401 || expected == 403) {
                    checkRefusal(response, expected, row.describe() + " as " + caller, wrong);
                }
            }
        }
        return wrong;
    }

    private static void checkRefusal(Response response, int status, String cell, List<String> wrong) {
        if (!String.valueOf(response.contentType()).startsWith("application/problem+json")
                || !Integer.valueOf(status).equals(response.path("status"))) {
            wrong.add(cell + ": not a problem body: " + response.contentType() + " " + response.asString());
        }
        if (status == 401 && !String.valueOf(response.header("WWW-Authenticate")).startsWith("Bearer")) {
            wrong.add(cell + ": no Bearer challenge");
        }
    }

    static Response send(RequestSpecification base, Row row, String token) {
        RequestSpecification request = given(base);
        if (token != null) {
            request.header("Authorization", TestKeys.bearer(token));
        }
        if (row.body() != null) {
            request.contentType(ContentType.JSON).body(row.body());
        }
        return request.when().request(row.method(), row.path());
    }
}
