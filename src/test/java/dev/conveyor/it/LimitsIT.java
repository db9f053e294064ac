package dev.conveyor.it;

import static dev.conveyor.it.Processes.env;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A queue's limits hold across worker processes: one API and four workers (10 slots each) against one redis-server.
 * A queue limited to 50/s starts its 2,000 jobs at 50/s (from the jobs' startedAt, Redis' clock) within 10 %, with no
 * second over the rate plus the burst; meanwhile, a queue limited to 3 at once runs its 40 jobs of 200 ms with never
 * more than 3 overlapping (from their start and end times), and all 3 slots in use most of the time.
 */
class LimitsIT {

    private static final Logger LOG = Logger.getLogger(LimitsIT.class);

    private static final String RATED = "rated";
    private static final String CAPPED = "capped";
    private static final int RATE = 50;
    /** The default burst of 50/s: a tenth of a second's worth. */
    private static final int BURST = 5;
    private static final int RATED_JOBS = 2000;
    private static final int CONCURRENCY = 3;
    private static final int CAPPED_JOBS = 40;
    private static final int SLEEP_MS = 200;
    private static final double TOLERANCE = 0.10;

    @RegisterExtension
    final Processes processes = new Processes();

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void fourWorkersKeepAQueueWithinItsRateAndAnotherWithinItsConcurrency() throws Exception {
        RedisProcess redis = processes.startRedis();
        AppProcess api = processes.startApi("api", redis, Map.of());
        List<AppProcess> workers = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            workers.add(processes.startWorker("worker-" + i, redis, env("CONVEYOR_WORKER_QUEUES", RATED + "," + CAPPED,
                    "CONVEYOR_WORKER_CONCURRENCY", "10", "CONVEYOR_RETENTION_SUCCEEDED_COUNT", "1000000")));
        }
        api.awaitReady(Duration.ofSeconds(90));
        workers.forEach(worker -> worker.awaitReady(Duration.ofSeconds(90)));

        try (RedisClient client = redis.connect()) {
            // a first job makes each queue known, so that it takes limits
            Processes.enqueueBatch(api, List.of(echo(RATED), sleep(CAPPED)));
            awaitSucceeded(client, RATED, 1, Duration.ofSeconds(30));
            awaitSucceeded(client, CAPPED, 1, Duration.ofSeconds(30));
            assertThat(putLimits(api, RATED, "{\"rate\":\"" + RATE + "/s\"}")).isEqualTo(200);
            assertThat(putLimits(api, CAPPED, "{\"concurrency\":" + CONCURRENCY + "}")).isEqualTo(200);

            List<String> rated = new ArrayList<>();
            for (int batch = 0; batch < RATED_JOBS / 1000; batch++) {
                rated.addAll(Processes.enqueueBatch(api, Collections.nCopies(1000, echo(RATED))));
            }
            List<String> capped = Processes.enqueueBatch(api, Collections.nCopies(CAPPED_JOBS, sleep(CAPPED)));

            awaitSucceeded(client, CAPPED, CAPPED_JOBS + 1, Duration.ofSeconds(60));
            checkConcurrency(Processes.jobFields(client, capped, "startedAt", "finishedAt"));
            awaitSucceeded(client, RATED, RATED_JOBS + 1, Duration.ofSeconds(90));
            checkRate(Processes.jobFields(client, rated, "startedAt"));
        }
    }

    private static void checkRate(Map<String, List<String>> fields) {
        List<Long> starts = fields.values().stream().map(f -> Long.parseLong(f.get(0))).sorted().toList();
        double seconds = (starts.get(starts.size() - 1) - starts.get(0)) / 1000.0;
        double rate = (starts.size() - 1) / seconds;
        int busiestSecond = 0;
        for (int from = 0, to = 0; from < starts.size(); from++) {
            while (to < starts.size() && starts.get(to) < starts.get(from) + 1000) {
                to++;
            }
            busiestSecond = Math.max(busiestSecond, to - from);
        }
        LOG.infof("rate %d/s: %d jobs started over %.2f s: %.2f/s; at most %d in one second", RATE, starts.size(),
                seconds, rate, busiestSecond);
        assertThat(rate).isBetween(RATE * (1 - TOLERANCE), RATE * (1 + TOLERANCE));
        assertThat(busiestSecond).as("jobs started in the busiest second").isLessThanOrEqualTo(RATE + BURST);
    }

    private static void checkConcurrency(Map<String, List<String>> fields) {
        // +1 at a start, -1 at an end; an end sorts before a start of the same ms (the same script call records the
        // one and claims the other)
        List<long[]> events = new ArrayList<>();
        long busy = 0;
        long first = Long.MAX_VALUE;
        long last = 0;
        for (List<String> f : fields.values()) {
            long start = Long.parseLong(f.get(0));
            long end = Long.parseLong(f.get(1));
            events.add(new long[] { start, 1 });
            events.add(new long[] { end, -1 });
            busy += end - start;
            first = Math.min(first, start);
            last = Math.max(last, end);
        }
        events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int running = 0;
        int most = 0;
        for (long[] event : events) {
            running += (int) event[1];
            most = Math.max(most, running);
        }
        double average = (double) busy / (last - first);
        LOG.infof("concurrency %d: %d jobs of %d ms in %d ms; at most %d at once, %.2f on average", CONCURRENCY,
                fields.size(), SLEEP_MS, last - first, most, average);
        assertThat(most).as("jobs running at once").isEqualTo(CONCURRENCY);
        assertThat(average).as("slots in use on average").isGreaterThan(CONCURRENCY * 0.8);
    }

    private static void awaitSucceeded(RedisClient client, String queue, int jobs, Duration max) {
        Awaitility.await(jobs + " jobs of " + queue + " succeeded").atMost(max).pollInterval(Duration.ofMillis(100))
                .until(() -> client.zcard(Processes.queueKey(queue, "succeeded")) >= jobs);
    }

    private static int putLimits(AppProcess api, String queue, String json) throws Exception {
        return Processes.send(Processes.asAdmin(api, "/queues/" + queue + "/limits", Duration.ofSeconds(10))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json))).status();
    }

    private static String echo(String queue) {
        return "{\"type\":\"echo\",\"queue\":\"" + queue + "\",\"payload\":{\"n\":1}}";
    }

    private static String sleep(String queue) {
        return "{\"type\":\"sleep\",\"queue\":\"" + queue + "\",\"payload\":{\"ms\":" + SLEEP_MS + "}}";
    }
}
