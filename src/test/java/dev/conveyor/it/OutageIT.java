package dev.conveyor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.conveyor.it.TestRedis.Topology;

/**
 * Redis away for 10 s under load. While it is away, POST /jobs answers 503 with Retry-After quickly (never a hang) and
 * readiness is DOWN on the API and the worker; once it is back on the same port, the same worker (not restarted) runs a
 * new job within seconds, and every job accepted before or after the outage succeeds.
 *
 * <p>Three ways to be away: {@code STOPPED} (SIGTERM, then started again on its AOF: connections are refused),
 * {@code FROZEN} (SIGSTOP, then SIGCONT: connections stay open and nothing answers, the harder case for timeouts), and
 * {@code CLUSTER_STOPPED} (every node of a Redis Cluster stopped, then started again on its AOF and cluster state).
 */
class OutageIT {

    private static final Logger LOG = Logger.getLogger(OutageIT.class);

    private static final String QUEUE = "outage";
    private static final Duration OUTAGE = Duration.ofSeconds(10);
    /** Longest acceptable answer of the API, also while Redis is away (conveyor.queue.redis-timeout is 2 s). */
    private static final Duration QUICK = Duration.ofSeconds(3);
    /** Longest acceptable time from Redis being back to the worker having run a new job. */
    private static final Duration RESUME = Duration.ofSeconds(10);

    enum Outage {
        STOPPED(Topology.SINGLE), FROZEN(Topology.SINGLE), CLUSTER_STOPPED(Topology.CLUSTER);

        final Topology topology;

        Outage(Topology topology) {
            this.topology = topology;
        }
    }

    @RegisterExtension
    final Processes processes = new Processes();

    @ParameterizedTest
    @EnumSource(Outage.class)
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void apiAnswers503QuicklyAndTheWorkerResumesOnItsOwn(Outage outage) throws Exception {
        long began = System.nanoTime();
        Processes.Stack<TestRedis> stack = processes.startDurableStack(QUEUE, outage.topology);
        TestRedis redis = stack.redis();
        AppProcess api = stack.api();
        AppProcess worker = stack.worker();

        List<String> accepted = new ArrayList<>();
        List<Load.Answer> duringOutage;
        List<Load.Answer> all;
        long resumedMillis;
        long readyAgainMillis;
        try (Load load = Load.start(api, sleepJob(20))) {
            Awaitility.await("jobs accepted").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> load.acceptedCount() >= 100);
            // work waiting and running when Redis goes away
            List<String> backlog = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                backlog.add(sleepJob(50));
            }
            accepted.addAll(Processes.enqueueBatch(api, backlog));

            if (outage == Outage.FROZEN) {
                freeze(redis);
            } else {
                redis.sigterm();
            }
            long awayFrom = System.nanoTime();
            try {
                Awaitility.await("readiness DOWN").atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(100))
                        .until(() -> bothDown(api, worker));
                long downMillis = Duration.ofNanos(System.nanoTime() - awayFrom).toMillis();
                // and DOWN it stays for the rest of the outage
                Duration rest = OUTAGE.minus(Duration.ofNanos(System.nanoTime() - awayFrom));
                Awaitility.await("readiness DOWN throughout").during(rest).atMost(rest.plusSeconds(5))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> bothDown(api, worker));
                LOG.infof("%s: readiness DOWN on the API and the worker %d ms after Redis went away",
                        outage, downMillis);
            } finally {
                if (outage == Outage.FROZEN) {
                    thaw(redis);
                } else {
                    redis.restart();
                }
            }
            long backAt = System.nanoTime();
            // requests sent in the last moments of the outage may be answered once Redis is back
            duringOutage = load.answersSentBetween(awayFrom, backAt - QUICK.toNanos());

            api.awaitReady(Duration.ofSeconds(20));
            worker.awaitReady(Duration.ofSeconds(20));
            readyAgainMillis = Duration.ofNanos(System.nanoTime() - backAt).toMillis();
            AtomicReference<String> fresh = new AtomicReference<>();
            Awaitility.await("a new job accepted").atMost(RESUME).pollInterval(Duration.ofMillis(50)).until(() -> {
                Processes.Answer answer = Processes.post(api, "/jobs", sleepJob(0), QUICK);
                fresh.set(answer.status() == 201 ? answer.body().path("id").asText() : null);
                return fresh.get() != null;
            });
            accepted.add(fresh.get());
            try (RedisClient client = redis.connect()) {
                Awaitility.await("the new job run by the worker").atMost(RESUME).pollInterval(Duration.ofMillis(50))
                        .until(() -> "succeeded".equals(Processes.jobFields(client, List.of(fresh.get()), "status")
                                .get(fresh.get()).get(0)));
            }
            resumedMillis = Duration.ofNanos(System.nanoTime() - backAt).toMillis();
            Awaitility.await("more jobs accepted").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> load.answersSentBetween(backAt, System.nanoTime()).stream()
                            .filter(a -> a.status() == 201).count() >= 50);
            load.stop();
            accepted.addAll(load.accepted());
            all = load.answers();
        }

        Map<Integer, Long> byStatus = all.stream()
                .collect(Collectors.groupingBy(Load.Answer::status, TreeMap::new, Collectors.counting()));
        long slowest = all.stream().mapToLong(Load.Answer::millis).max().orElse(0);
        long slowestDuring = duringOutage.stream().mapToLong(Load.Answer::millis).max().orElse(0);
        LOG.infof("%s: load answers by status (-1: no answer) %s; slowest %d ms; %d answers in the "
                + "outage, slowest %d ms; ready again %d ms and a new job done %d ms after Redis came back", outage,
                byStatus, slowest, duringOutage.size(), slowestDuring, readyAgainMillis, resumedMillis);

        assertThat(duringOutage.size()).as("too few requests during the outage: " + duringOutage.size())
                .isGreaterThanOrEqualTo(3);
        List<Load.Answer> notQuick503 = duringOutage.stream()
                .filter(a -> a.status() != 503 || a.retryAfter() == null || a.millis() > QUICK.toMillis()).toList();
        assertThat(notQuick503).as("answers during the outage that were not a quick 503 with Retry-After").isEmpty();
        List<Load.Answer> slowOrOdd = all.stream()
                .filter(a -> a.millis() > QUICK.toMillis() || (a.status() != 201 && a.status() != 503)).toList();
        assertThat(slowOrOdd).as("answers slower than " + QUICK + " or other than 201/503").isEmpty();
        assertThat(resumedMillis).as("a new job took " + resumedMillis + " ms after Redis came back")
                .isLessThanOrEqualTo(RESUME.toMillis());
        assertThat(worker.isAlive()).as("the worker died").isTrue();

        try (RedisClient client = redis.connect()) {
            Awaitility.await("every accepted job succeeded").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> Processes.jobFields(client, accepted, "status").values().stream()
                            .allMatch(f -> "succeeded".equals(f.get(0))));
        }
        LOG.infof("%s: %d accepted jobs all succeeded; test took %d s", outage, accepted.size(),
                Duration.ofNanos(System.nanoTime() - began).toSeconds());
    }

    /** Readiness of both at once (with Redis frozen each check takes the 2 s Redis timeout). */
    private static boolean bothDown(AppProcess api, AppProcess worker) {
        CompletableFuture<Integer> apiReadiness = CompletableFuture.supplyAsync(api::readiness);
        int workerReadiness = worker.readiness();
        return apiReadiness.join() == 503 && workerReadiness == 503;
    }

    private static void freeze(TestRedis redis) throws Exception {
        signal(redis, "STOP");
    }

    private static void thaw(TestRedis redis) throws Exception {
        signal(redis, "CONT");
    }

    /** A signal to the one redis-server of a {@link Topology#SINGLE} outage. */
    private static void signal(TestRedis redis, String signal) throws Exception {
        long pid = ((RedisProcess) redis).pid();
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -" + signal + " failed")
                .isTrue();
    }

    private static String sleepJob(long ms) {
        return "{\"type\":\"sleep\",\"queue\":\"" + QUEUE + "\",\"maxAttempts\":10,\"payload\":{\"ms\":" + ms + "}}";
    }
}
