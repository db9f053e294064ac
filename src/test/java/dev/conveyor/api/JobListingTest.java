package dev.conveyor.api;

import static dev.conveyor.testing.Jobs.awaitStatus;
import static dev.conveyor.testing.Jobs.enqueue;
import static dev.conveyor.testing.Jobs.enqueueWaiting;
import static dev.conveyor.testing.Jobs.listAll;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static dev.conveyor.testing.Problems.assertInvalid;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.conveyor.testing.Jobs;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** GET /jobs: newest first, cursor pagination, status and queue filters, parameter validation. */
@QuarkusTest
class JobListingTest {

    private static List<String> ids(List<Map<String, Object>> jobs) {
        return jobs.stream().map(job -> (String) job.get("id")).toList();
    }

    @Test
    void cursorPaginationWalksEveryJobNewestFirstWithoutDuplicatesOrGaps() {
        String queue = uniqueQueue();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(enqueueWaiting(queue));
        }

        List<String> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 20; page++) {
            var request = given().queryParam("queue", queue).queryParam("limit", 3);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            Response answer = request.when().get("/jobs");
            answer.then().statusCode(200).contentType(ContentType.JSON).body("jobs", hasSize(lessThanOrEqualTo(3)));
            List<String> pageIds = ids(answer.jsonPath().getList("jobs"));
            seen.addAll(pageIds);
            pageSizes.add(pageIds.size());
            cursor = answer.path("nextCursor");
            if (cursor == null) {
                break;
            }
        }
        assertThat(cursor).as("pagination did not end").isNull();
        assertThat(seen).as("pages " + pageSizes + " gave " + seen).hasSize(7);
        assertThat(new HashSet<>(seen)).as("duplicates across pages: " + seen).hasSize(7);
        assertThat(new HashSet<>(seen)).as("gaps: created " + created + ", listed " + seen)
                .isEqualTo(new HashSet<>(created));

        // newest first: ids (ULIDs, time-ordered) strictly descending, creation times never increasing
        List<String> sorted = new ArrayList<>(seen);
        sorted.sort(Collections.reverseOrder());
        assertThat(seen).as("not newest first").isEqualTo(sorted);
        List<Map<String, Object>> all = listAll(Map.of("queue", queue));
        Instant previous = Instant.MAX;
        for (Map<String, Object> job : all) {
            Instant createdAt = Instant.parse((String) job.get("createdAt"));
            assertThat(!createdAt.isAfter(previous)).as("listing is not newest first: " + ids(all)).isTrue();
            previous = createdAt;
        }
        // one queue, no status filter: every page is full until the last
        assertThat(pageSizes).isEqualTo(List.of(3, 3, 1));
    }

    @Test
    void newestJobComesFirst() {
        String queue = uniqueQueue();
        String older = enqueueWaiting(queue);
        // make sure the second job is created in a later millisecond than the first
        String olderCreatedAt = given().get("/jobs/" + older).path("createdAt");
        Jobs.eventually().until(() -> Instant.now().isAfter(Instant.parse(olderCreatedAt).plusMillis(2)));
        String newer = enqueueWaiting(queue);
        given().queryParam("queue", queue).when().get("/jobs").then().statusCode(200)
                .body("jobs.id", equalTo(List.of(newer, older)))
                .body("nextCursor", nullValue());
    }

    @Test
    void defaultLimitAndMaxLimit() {
        String queue = uniqueQueue();
        for (int i = 0; i < 3; i++) {
            enqueueWaiting(queue);
        }
        given().queryParam("queue", queue).when().get("/jobs").then().statusCode(200).body("jobs", hasSize(3));
        given().queryParam("queue", queue).queryParam("limit", 500).when().get("/jobs").then().statusCode(200)
                .body("jobs", hasSize(3));
        given().queryParam("queue", queue).queryParam("limit", 1).when().get("/jobs").then().statusCode(200)
                .body("jobs", hasSize(1)).body("nextCursor", notNullValue());
    }

    @Test
    void queueFilterOnlyListsThatQueue() {
        String queue = uniqueQueue();
        String other = uniqueQueue();
        Set<String> mine = Set.of(enqueueWaiting(queue), enqueueWaiting(queue));
        enqueueWaiting(other);
        List<Map<String, Object>> listed = listAll(Map.of("queue", queue, "limit", 1));
        assertThat(new HashSet<>(ids(listed))).isEqualTo(mine);
        listed.forEach(job -> assertThat(job.get("queue")).isEqualTo(queue));
    }

    @Test
    void unknownButValidQueueListsNothing() {
        given().queryParam("queue", uniqueQueue()).when().get("/jobs").then().statusCode(200)
                .body("jobs", empty()).body("nextCursor", nullValue());
    }

    @Test
    void statusFilterOnlyListsJobsInThatStatus() {
        String queue = uniqueQueue();
        Set<String> waiting = Set.of(enqueueWaiting(queue), enqueueWaiting(queue));
        String done1 = enqueue(Map.of("type", "echo", "queue", queue));
        String done2 = enqueue(Map.of("type", "echo", "queue", queue));
        String failed = enqueue(Map.of("type", "sleep", "queue", queue, "maxAttempts", 1,
                "payload", Map.of("ms", 0, "failTimes", 1)));
        awaitStatus(done1, "succeeded");
        awaitStatus(done2, "succeeded");
        awaitStatus(failed, "failed");

        assertThat(new HashSet<>(ids(listAll(Map.of("queue", queue, "status", "scheduled"))))).isEqualTo(waiting);
        assertThat(new HashSet<>(ids(listAll(Map.of("queue", queue, "status", "succeeded")))))
                .isEqualTo(Set.of(done1, done2));
        assertThat(new HashSet<>(ids(listAll(Map.of("queue", queue, "status", "failed",
                "limit", 1))))).isEqualTo(Set.of(failed));
        assertThat(new HashSet<>(ids(listAll(Map.of("queue", queue, "status", "queued"))))).isEmpty();
        assertThat(listAll(Map.of("queue", queue))).hasSize(5);

        // with one page per job, the status filter still walks every page
        List<Map<String, Object>> oneByOne = listAll(Map.of("queue", queue, "status", "scheduled", "limit", 1));
        assertThat(new HashSet<>(ids(oneByOne))).isEqualTo(waiting);
        assertThat(oneByOne).hasSize(2);
    }

    @Test
    void statusFilterAcrossEveryQueue() {
        String queue = uniqueQueue();
        String waiting = enqueueWaiting(queue);
        List<Map<String, Object>> scheduled = listAll(Map.of("status", "scheduled", "limit", 200));
        assertThat(ids(scheduled)).as("the scheduled job is not listed across queues").contains(waiting);
        scheduled.forEach(job -> assertThat(job.get("status")).as("wrong status: " + job).isEqualTo("scheduled"));
        assertThat(new HashSet<>(ids(scheduled))).as("duplicates across pages").hasSize(scheduled.size());
        given().queryParam("status", "scheduled").when().get("/jobs").then().statusCode(200)
                .body("jobs.status", everyItem(equalTo("scheduled")));
    }

    @Test
    void listingWithoutFiltersCoversEveryQueueNewestFirst() {
        String a = enqueueWaiting(uniqueQueue());
        String b = enqueueWaiting(uniqueQueue());
        List<Map<String, Object>> all = listAll(Map.of("limit", 100));
        List<String> ids = ids(all);
        assertThat(ids.contains(a) && ids.contains(b)).as("jobs of new queues are missing from the listing").isTrue();
        assertThat(new HashSet<>(ids)).as("duplicates across pages").hasSize(ids.size());
        // ids start with the queue name; newest first is by the ULID part
        List<String> ulids = ids.stream().map(id -> id.substring(id.lastIndexOf('.') + 1)).toList();
        List<String> sorted = new ArrayList<>(ulids);
        sorted.sort(Collections.reverseOrder());
        assertThat(ulids).as("listing across queues is not newest first").isEqualTo(sorted);
    }

    @Test
    void typeFilterOnlyListsJobsOfThatTypeAlsoWithAStatus() {
        String queue = uniqueQueue();
        String echo = enqueue(Map.of("type", "echo", "queue", queue));
        String waitingEcho = enqueueWaiting(queue);
        String waitingSleep = enqueue(Map.of("type", "sleep", "queue", queue, "delay", "PT1H",
                "payload", Map.of("ms", 0)));
        String failedSleep = enqueue(Map.of("type", "sleep", "queue", queue, "maxAttempts", 1,
                "payload", Map.of("ms", 0, "failTimes", 1)));
        awaitStatus(echo, "succeeded");
        awaitStatus(failedSleep, "failed");

        assertThat(ids(listAll(Map.of("queue", queue, "type", "echo")))).containsExactly(waitingEcho, echo);
        assertThat(new HashSet<>(ids(listAll(Map.of("queue", queue, "type", "sleep", "limit", 1)))))
                .isEqualTo(Set.of(waitingSleep, failedSleep));
        assertThat(ids(listAll(Map.of("queue", queue, "type", "sleep", "status", "failed"))))
                .containsExactly(failedSleep);
        assertThat(listAll(Map.of("queue", queue, "type", "primes"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "bogus", " ", "ECHO" })
    void unknownTypeIs422NamingIt(String type) {
        assertInvalid(given().queryParam("type", type).when().get("/jobs").then(), "type");
    }

    @ParameterizedTest
    @ValueSource(strings = { "bogus", "done", " ", "scheduled,queued" })
    void badStatusIs422NamingIt(String status) {
        assertInvalid(given().queryParam("status", status).when().get("/jobs").then(), "status");
    }

    @ParameterizedTest
    @ValueSource(strings = { "Bad", "a.b", "-x", " ", "{q}", "abbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" })
    void badQueueIs422NamingIt(String queue) {
        assertInvalid(given().queryParam("queue", queue).when().get("/jobs").then(), "queue");
    }

    @ParameterizedTest
    @ValueSource(strings = { "0", "-1", "501", "abc", "1.5", "99999999999" })
    void badLimitIs422NamingIt(String limit) {
        assertInvalid(given().queryParam("limit", limit).when().get("/jobs").then(), "limit");
    }

    @ParameterizedTest
    @ValueSource(strings = { "xyz", "01ARZ3NDEKTSV4RRFFQ69G5FA", "default.01ARZ3NDEKTSV4RRFFQ69G5FAV", "01arz3ndektsv4rrffq69g5fav" })
    void badCursorIs422NamingIt(String cursor) {
        assertInvalid(given().queryParam("cursor", cursor).when().get("/jobs").then(), "cursor");
    }

    @Test
    void everyBadParameterIsReportedAtOnce() {
        assertInvalid(given().queryParam("status", "x").queryParam("queue", "X").queryParam("limit", 0)
                .queryParam("cursor", "x").when().get("/jobs").then(), "status")
                .body("errors.field", org.hamcrest.Matchers.hasItems("status", "queue", "limit", "cursor"));
    }
}
