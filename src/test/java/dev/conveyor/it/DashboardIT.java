package dev.conveyor.it;

import static dev.conveyor.it.Processes.env;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import com.sun.net.httpserver.HttpServer;

import dev.conveyor.testing.TestKeys;

/**
 * The dashboard in a real headless Chromium against the packaged API and worker and a real redis-server, clicked
 * through as an operator would: sign in, read the overview, follow a failed job, re-run it and watch it succeed, pause
 * and resume a queue, and see what a read-only key and a wrong key get. Screenshots go to
 * {@code target/dashboard-screenshots/}.
 */
class DashboardIT {

    private static final String OPS = "cvk_dashboard-ops-4Tq8Lm1Zx6Wc3Nb9Hv2Rk7Pd0Gy5Fj";
    private static final String VIEWER = "cvk_dashboard-viewer-8Hs2Qw6Lz1Xm4Tb7Nc9Rd3Kp0Yf5J";

    @RegisterExtension
    final Processes processes = new Processes();

    private Browser browser;
    private RedisProcess redis;
    private AppProcess api;

    @BeforeEach
    void stack() throws Exception {
        redis = processes.startRedis();
        Path keys = TestKeys.write(processes.dir().resolve("keys.json"), List.of(TestKeys.admin(),
                new TestKeys.Entry("ops-team", OPS, List.of("manage"), List.of("*"), null),
                new TestKeys.Entry("dashboards", VIEWER, List.of("read"), List.of("*"), null)));
        // the test's webhook destination is on loopback, which the API checks at enqueue and the worker before sending
        api = processes.startApi("api", redis, env("CONVEYOR_AUTH_KEYS_FILE", keys.toString(),
                "CONVEYOR_HTTP_ALLOWED_NETWORKS", "127.0.0.1/32"));
        AppProcess worker = processes.startWorker("worker", redis, env(
                "CONVEYOR_WORKER_QUEUES", "emails,reports,other",
                "CONVEYOR_HTTP_ALLOWED_NETWORKS", "127.0.0.1/32"));
        api.awaitReady(Duration.ofSeconds(90));
        worker.awaitReady(Duration.ofSeconds(90));
        browser = Browser.start();
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            try {
                assertThat(browser.scriptErrors()).as("script errors and policy violations in the console").isEmpty();
            } finally {
                browser.close();
            }
        }
    }

    @Test
    void anOperatorFollowsAFailedJobReRunsItAndWatchesItSucceed() throws Exception {
        AtomicInteger hookStatus = new AtomicInteger(400);
        HttpServer hook = startHook(hookStatus);
        try {
            for (int i = 0; i < 3; i++) {
                awaitStatus(enqueue("{\"type\":\"echo\",\"queue\":\"emails\",\"payload\":{\"n\":" + i + "}}"),
                        "succeeded");
            }
            String failing = enqueue("{\"type\":\"http\",\"queue\":\"reports\",\"maxAttempts\":1,\"payload\":"
                    + "{\"method\":\"POST\",\"url\":\"http://127.0.0.1:" + hook.getAddress().getPort()
                    + "/hook\",\"body\":{\"report\":\"weekly\"}}}");
            awaitStatus(failing, "failed");

            browser.open(api.api("/ui").toString());
            signIn(OPS);
            browser.awaitText("[data-queue-row='emails'] [data-count='succeeded']", "3");
            browser.awaitText("[data-queue-row='reports'] [data-count='failed']", "1");
            assertThat(browser.find("[data-who]").getText()).contains("ops-team");
            browser.screenshot("overview");

            // overview -> the queue's failed jobs -> the job
            browser.find("[data-queue-row='reports'] [data-count='failed'] a").click();
            browser.await("[data-tab='failed'][aria-current='true']");
            browser.await("[data-job-row='" + failing + "'] a").click();
            browser.await(".title-row [data-status='failed']");
            assertThat(browser.find("[data-step='retrying'] .error").getText()).contains("400");
            assertThat(browser.find("[data-json='payload']").getText()).contains("weekly");
            assertThat(browser.findAll("[data-action='cancel']")).isEmpty();

            // the destination is fixed; re-run, and the page follows the job to its end without a reload
            hookStatus.set(200);
            browser.script("window.conveyorSamePage = true;");
            browser.find("[data-action='rerun']").click();
            browser.await(".title-row [data-status='succeeded']");
            assertThat(browser.script("return window.conveyorSamePage === true;")).isEqualTo(true);
            assertThat(browser.find("[data-json='result']").getText()).contains("\"status\": 200");
            assertThat(browser.findAll("[data-action='rerun']")).isEmpty();
            browser.screenshot("job");
        } finally {
            hook.stop(0);
        }
    }

    @Test
    void pausingAQueueMakesItsNewJobsWaitUntilItIsResumed() throws Exception {
        awaitStatus(enqueue("{\"type\":\"echo\",\"queue\":\"emails\"}"), "succeeded");
        browser.open(api.api("/ui#/queues/emails").toString());
        signIn(OPS);
        browser.await("[data-action='pause']").click();
        browser.await("[data-paused-note]");
        browser.await("[data-action='resume']");

        String waiting = enqueue("{\"type\":\"echo\",\"queue\":\"emails\",\"payload\":{\"waits\":true}}");
        // a job enqueued after it, on a queue the same worker serves, runs: the worker is up and claiming
        awaitStatus(enqueue("{\"type\":\"echo\",\"queue\":\"other\"}"), "succeeded");
        assertThat(status(waiting)).isEqualTo("queued");
        browser.await("[data-job-row='" + waiting + "'] [data-status='queued']");
        browser.awaitText("[data-tab='queued'] .count", "1");
        browser.screenshot("queue-paused");

        browser.find("[data-action='resume']").click();
        browser.await("[data-action='pause']");
        browser.await("[data-job-row='" + waiting + "'] [data-status='succeeded']");
        assertThat(browser.findAll("[data-paused-note]")).isEmpty();
    }

    @Test
    void aReadKeySeesNoButtonsAWrongKeyIsRefusedAndTheWorkersAreListed() throws Exception {
        String failed = enqueue("{\"type\":\"sleep\",\"queue\":\"reports\",\"maxAttempts\":1,"
                + "\"payload\":{\"ms\":1,\"failTimes\":1}}");
        awaitStatus(failed, "failed");

        browser.open(api.api("/ui").toString());
        signIn("cvk_not-a-key-of-this-service-0000000000000000");
        assertThat(browser.await("[role='alert']").getText()).contains("This key was refused");
        assertThat(browser.findAll("#api-key")).hasSize(1);
        assertThat(browser.script("return sessionStorage.getItem('conveyor.key');")).isNull();

        signIn(VIEWER);
        browser.awaitText("[data-queue-row='reports'] [data-count='failed']", "1");
        browser.open(api.api("/ui#/jobs/" + failed).toString());
        browser.await(".title-row [data-status='failed']");
        assertThat(browser.findAll("[data-action='rerun'], [data-action='cancel']")).isEmpty();
        browser.open(api.api("/ui#/queues/reports").toString());
        browser.await("[data-job-row='" + failed + "']");
        assertThat(browser.findAll("[data-action='pause'], [data-action='resume']")).isEmpty();

        browser.find("[data-nav='workers']").click();
        WebElement worker = browser.await("[data-worker-row]");
        assertThat(worker.findElement(By.cssSelector("td")).getText()).isEqualTo("worker");
        assertThat(browser.findAll("[data-worker-row] a").stream().map(WebElement::getText))
                .containsExactlyInAnyOrder("emails", "reports", "other");
        browser.screenshot("workers");

        browser.colorScheme("dark");
        browser.find("[data-nav='overview']").click();
        browser.await("[data-queue-row='reports']");
        browser.screenshot("overview-dark");
        browser.size(390, 844);
        browser.screenshot("overview-phone-dark");
    }

    @Test
    void anOperatorLimitsAQueueActsOnAllItsJobsAtOnceAndPausesASchedule() throws Exception {
        AtomicInteger hookStatus = new AtomicInteger(503);
        HttpServer hook = startHook(hookStatus);
        try {
            operateOnAQueueAndASchedule(hookStatus, hook.getAddress().getPort());
        } finally {
            hook.stop(0);
        }
    }

    private void operateOnAQueueAndASchedule(AtomicInteger hookStatus, int hookPort) throws Exception {
        List<String> failed = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            failed.add(enqueue("{\"type\":\"http\",\"queue\":\"reports\",\"maxAttempts\":1,\"payload\":"
                    + "{\"method\":\"POST\",\"url\":\"http://127.0.0.1:" + hookPort + "/hook\"}}"));
        }
        failed.forEach(id -> awaitStatus(id, "failed"));
        hookStatus.set(200);
        Processes.Answer schedule = Processes.post(api, "/schedules", "{\"name\":\"nightly-report\","
                + "\"cron\":\"30 2 * * *\",\"timezone\":\"Europe/Berlin\",\"job\":{\"type\":\"echo\","
                + "\"queue\":\"reports\"}}", Duration.ofSeconds(10));
        assertThat(schedule.status()).as(schedule.body().toString()).isEqualTo(201);

        browser.open(api.api("/ui#/queues/reports?status=failed").toString());
        signIn(OPS);
        browser.script("window.confirm = () => true;");
        browser.awaitText("[data-tab='failed'] .count", "3");
        browser.await("[data-action='retry-failed']").click();
        failed.forEach(id -> awaitStatus(id, "succeeded"));
        browser.awaitText("[data-tab='failed'] .count", "0");

        browser.find("[data-tab='succeeded']").click();
        browser.awaitText("[data-tab='succeeded'] .count", "3");
        browser.await("[data-action='delete-succeeded']").click();
        browser.awaitText("[data-tab='succeeded'] .count", "0");
        for (String id : failed) {
            assertThat(Processes.get(api, "/jobs/" + id).status()).as(id).isEqualTo(404);
        }

        // limits: set from the page, shown on it and by the API, then removed
        browser.await("[data-action='edit-limits']").click();
        browser.await("#limit-rate").sendKeys("100/m");
        browser.find("#limit-concurrency").sendKeys("2");
        browser.find("[data-limits-form] button[type='submit']").click();
        browser.await("[data-limits*='100/m']");
        assertThat(browser.find("[data-limits-text]").getText()).isEqualTo("100/m (burst 1) · at most 2 running at once");
        assertThat(Processes.get(api, "/queues/reports").body().path("limits").path("concurrency").asInt())
                .isEqualTo(2);
        browser.screenshot("queue-limits");
        browser.find("[data-action='remove-limits']").click();
        browser.awaitText("[data-limits-text]", "none");

        // drain: the waiting jobs of a paused queue are cancelled at once
        awaitStatus(enqueue("{\"type\":\"echo\",\"queue\":\"other\"}"), "succeeded");
        assertThat(Processes.send(Processes.asAdmin(api, "/queues/other/pause", Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.noBody())).status()).isEqualTo(200);
        List<String> waiting = List.of(enqueue("{\"type\":\"echo\",\"queue\":\"other\"}"),
                enqueue("{\"type\":\"echo\",\"queue\":\"other\"}"));
        browser.open(api.api("/ui#/queues/other").toString());
        browser.script("window.confirm = () => true;");
        browser.awaitText("[data-tab='queued'] .count", "2");
        browser.await("[data-action='drain']").click();
        browser.awaitText("[data-tab='cancelled'] .count", "2");
        waiting.forEach(id -> awaitStatus(id, "cancelled"));

        // the schedules page lists the schedule with its next run; pausing it shows at once
        browser.find("[data-nav='schedules']").click();
        WebElement row = browser.await("[data-schedule-row='nightly-report']");
        assertThat(row.getText()).contains("30 2 * * *").contains("Europe/Berlin").contains("reports");
        browser.find("[data-schedule-row='nightly-report'] [data-action='pause']").click();
        browser.await("[data-schedule-row='nightly-report'] [data-action='resume']");
        assertThat(Processes.get(api, "/schedules/nightly-report").body().path("paused").asBoolean()).isTrue();
        browser.screenshot("schedules");
    }

    @Test
    void aReaderDownloadsAReportsFileFromItsJobPage() throws Exception {
        String csv = enqueue("{\"type\":\"generate_report\",\"queue\":\"reports\",\"payload\":{\"format\":\"csv\","
                + "\"title\":\"Weekly sales\",\"columns\":[\"city\",\"note\"],"
                + "\"rows\":[[\"Zürich\",\"says \\\"hi\\\", twice\"],[\"Oslo\",\"line one\\nline two\"]]}}");
        awaitStatus(csv, "succeeded");

        browser.open(api.api("/ui").toString());
        signIn(VIEWER);
        browser.await("[data-queue-row='reports']");
        browser.open(api.api("/ui").toString() + "#/jobs/" + csv);
        browser.await(".title-row [data-status='succeeded']");
        // keep what the page saves, to compare it with the file the worker made; escaped, so that the driver hands
        // back its line breaks (CRLF in a CSV) as they are
        browser.script("const make = URL.createObjectURL; window.conveyorSaved = null; URL.createObjectURL = blob => {"
                + " blob.text().then(t => { window.conveyorSaved = encodeURIComponent(t); }); return make(blob); };");
        browser.find("[data-action='download-artifact']").click();
        Awaitility.await("the saved file").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> browser.script("return window.conveyorSaved;") != null);
        String saved = URLDecoder.decode((String) browser.script("return window.conveyorSaved;"),
                StandardCharsets.UTF_8);
        String stored = Processes.HTTP.send(Processes.asAdmin(api, "/jobs/" + csv + "/artifact", Duration.ofSeconds(10))
                .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(saved).isEqualTo(stored);
        assertThat(saved).contains("Zürich").contains("\"says \"\"hi\"\", twice\"");
        assertThat(browser.find("[data-artifact]").getText()).contains("text/csv");
        browser.screenshot("job-artifact");
    }

    @Test
    void withAccessControlOffTheDashboardAsksForNoKeyAndItsFilesAreServedSafely() throws Exception {
        AppProcess open = processes.startApi("api-open", redis, env("CONVEYOR_AUTH_ENABLED", "false"));
        open.awaitReady(Duration.ofSeconds(90));
        awaitStatus(enqueue("{\"type\":\"echo\",\"queue\":\"emails\"}"), "succeeded");

        browser.open(open.api("/ui").toString());
        browser.await("[data-queue-row='emails']");
        assertThat(browser.find("[data-who='open']").getText()).contains("Access control is off");
        assertThat(browser.findAll("#api-key")).isEmpty();
        assertThat(browser.script("return typeof window.conveyorOverviewRenderedMs;")).isEqualTo("number");

        HttpResponse<String> page = Processes.HTTP.send(HttpRequest.newBuilder(api.api("/ui")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("text/html"));
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("script-src 'self'").contains("frame-ancestors 'none'").doesNotContain("unsafe"));
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        String tag = page.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = Processes.HTTP.send(HttpRequest.newBuilder(api.api("/ui"))
                .header("If-None-Match", tag).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(304);
        for (String path : List.of("/ui/app.js", "/ui/app.css", "/ui/favicon.svg")) {
            assertThat(Processes.HTTP.send(HttpRequest.newBuilder(api.api(path)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).as(path).isEqualTo(200);
        }
        for (String path : List.of("/ui/keys.json", "/ui/..%2Fapplication.properties", "/ui/app.js.map")) {
            assertThat(Processes.HTTP.send(HttpRequest.newBuilder(api.api(path)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).as(path).isEqualTo(404);
        }
    }

    /** A loopback destination for http jobs at {@code /hook}, answering the status it is set to. */
    private static HttpServer startHook(AtomicInteger status) throws java.io.IOException {
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        hook.start();
        return hook;
    }

    private void signIn(String key) {
        WebElement input = browser.await("#api-key");
        input.clear();
        input.sendKeys(key);
        browser.find(".login button[type='submit']").click();
    }

    private String enqueue(String json) throws Exception {
        Processes.Answer answer = Processes.post(api, "/jobs", json, Duration.ofSeconds(10));
        assertThat(answer.status()).as("enqueue %s: %s", json, answer.body()).isEqualTo(201);
        return answer.body().path("id").asText();
    }

    private String status(String id) throws Exception {
        return Processes.get(api, "/jobs/" + id).body().path("status").asText();
    }

    private void awaitStatus(String id, String status) {
        Awaitility.await(id + " " + status).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> status.equals(status(id)));
    }
}
