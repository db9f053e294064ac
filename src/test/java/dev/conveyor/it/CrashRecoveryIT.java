package dev.conveyor.it;

import static dev.conveyor.it.Processes.env;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.Awaitility;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.conveyor.it.TestRedis.Topology;
import dev.conveyor.job.JobLogLine;

/**
 * {@code kill -9} of busy workers loses nothing, and only the jobs that were running on a killed worker run more than
 * once.
 *
 * <p>Redis, the packaged API and two packaged workers run as separate processes. Thousands of {@code sleep} jobs are
 * enqueued; three times a busy worker is frozen (SIGSTOP), the jobs it holds are read from Redis (the active set and
 * the lease tokens naming its pid), then it is killed (SIGKILL) and a replacement started. Every job must end
 * {@code succeeded}; the executions of each job (what the worker logs record, plus the runs cut short by a kill)
 * must equal its {@code attempts}; and every job run more than once must have been running on a killed worker.
 * It runs on one redis-server and on a Redis Cluster.
 */
class CrashRecoveryIT {

    private static final Logger LOG = Logger.getLogger(CrashRecoveryIT.class);

    private static final String QUEUE = "crash";
    private static final int JOBS = 5000;
    private static final int KILLS = 3;

    @RegisterExtension
    final Processes processes = new Processes();

    private final Map<String, String> workerEnv = env(
            "CONVEYOR_WORKER_LEASE", "5s",
            "CONVEYOR_WORKER_REAP_INTERVAL", "1s",
            "CONVEYOR_WORKER_CONCURRENCY", "20",
            "CONVEYOR_WORKER_SHUTDOWN_TIMEOUT", "1s",
            "CONVEYOR_WORKER_QUEUES", QUEUE,
            "CONVEYOR_RETRY_INITIAL_DELAY", "50ms",
            "CONVEYOR_RETRY_MAX_DELAY", "1s",
            // every job is read after the run: none may be removed by the count retention
            "CONVEYOR_RETENTION_SUCCEEDED_COUNT", "1000000");

    @ParameterizedTest
    @EnumSource(Topology.class)
    @Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
    void killedWorkersLoseNothingAndOnlyTheirJobsRunTwice(Topology topology) throws Exception {
        long began = System.nanoTime();
        TestRedis redis = processes.startRedis(topology);
        AppProcess api = processes.startApi("api", redis, Map.of());
        List<AppProcess> workers = new ArrayList<>();
        int[] started = { 0 };
        java.util.function.Supplier<AppProcess> newWorker = () -> {
            try {
                AppProcess worker = processes.startWorker("worker-" + ++started[0], redis, workerEnv);
                workers.add(worker);
                return worker;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        };
        newWorker.get();
        newWorker.get();
        api.awaitReady(Duration.ofSeconds(90));
        for (AppProcess worker : workers) {
            worker.awaitReady(Duration.ofSeconds(90));
        }

        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<String> ids = new ArrayList<>();
        for (int batch = 0; batch < JOBS; batch += 1000) {
            List<String> jobs = new ArrayList<>();
            for (int i = batch; i < Math.min(JOBS, batch + 1000); i++) {
                jobs.add("{\"type\":\"sleep\",\"queue\":\"" + QUEUE + "\",\"maxAttempts\":10,\"payload\":{\"ms\":"
                        + (20 + random.nextInt(61)) + "}}");
            }
            ids.addAll(Processes.enqueueBatch(api, jobs));
        }
        LOG.infof("enqueued %d jobs (payload seed %d)", ids.size(), seed);

        // job id -> the attempts that were running on a worker when it was killed
        Map<String, Set<Integer>> killedRuns = new TreeMap<>();
        try (RedisClient client = redis.connect()) {
            for (int kill = 1; kill <= KILLS; kill++) {
                // spread the kills over the run: each one after another share of the jobs succeeded
                long progress = (long) kill * JOBS / (KILLS + 2);
                Awaitility.await(progress + " jobs succeeded").atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> client.zcard(Processes.queueKey(QUEUE, "succeeded")) >= progress);
                AppProcess victim = busyWorker(client, workers);
                victim.freeze();
                Map<String, Integer> running = runningOn(client, victim);
                victim.sigkill();
                // a claim sent just before the freeze may have been applied after the first read
                running.putAll(runningOn(client, victim));
                assertThat(running).as("the frozen worker held no job: " + victim).isNotEmpty();
                long queued = client.zcard(Processes.queueKey(QUEUE, "ready"));
                LOG.infof("kill %d: %s was running %d jobs; %d jobs still queued, %d s into the test",
                        kill, victim, running.size(), queued, Duration.ofNanos(System.nanoTime() - began).toSeconds());
                running.forEach((id, attempt) -> killedRuns.computeIfAbsent(id, k -> new TreeSet<>()).add(attempt));
                workers.remove(victim);
                newWorker.get();
            }

            // on a timeout, go on: the figures and the list of unfinished jobs say more than the timeout
            boolean finished = Waiting.awaitQuietly(Duration.ofMinutes(3), () -> {
                assertThat(client.zcard(Processes.queueKey(QUEUE, "failed"))).as("jobs failed").isEqualTo(0);
                return client.zcard(Processes.queueKey(QUEUE, "succeeded")) == JOBS;
            });
            LOG.infof("every job finished: %s after %d s", finished,
                    Duration.ofNanos(System.nanoTime() - began).toSeconds());

            Map<String, List<String>> state = Processes.jobFields(client, ids, "status", "attempts");
            Map<String, Integer> attempts = new HashMap<>();
            List<String> lost = new ArrayList<>();
            state.forEach((id, fields) -> {
                if (!"succeeded".equals(fields.get(0))) {
                    lost.add(id + " (" + fields.get(0) + ")");
                }
                attempts.put(id, fields.get(1) == null ? 0 : Integer.parseInt(fields.get(1)));
            });

            Executions executions = Executions.fromLogs(processes, killedRuns, attempts);
            int duplicates = 0;
            int rerun = 0;
            List<String> unexplained = new ArrayList<>();
            List<String> mismatched = new ArrayList<>();
            for (String id : ids) {
                int runs = executions.of(id);
                int tries = attempts.get(id);
                duplicates += Math.max(0, runs - 1);
                if (tries > 1) {
                    rerun++;
                    if (!killedRuns.containsKey(id)) {
                        unexplained.add(id + " (attempts " + tries + ")");
                    }
                }
                if (runs != tries) {
                    mismatched.add(id + " (executions " + runs + ", attempts " + tries + ", killed runs "
                            + killedRuns.getOrDefault(id, Set.of()) + ", logged " + executions.logged(id) + ")");
                }
            }
            long seconds = Duration.ofNanos(System.nanoTime() - began).toSeconds();
            LOG.infof("FIGURES (%s): jobs=%d kills=%d lost=%d duplicate_executions=%d (jobs run more than "
                    + "once: %d; jobs running on a killed worker: %d; unexplained re-runs: %d) in %d s", topology,
                    ids.size(), KILLS, lost.size(), duplicates, rerun, killedRuns.size(), unexplained.size(), seconds);

            assertThat(first(lost)).as(lost.size() + " jobs accepted with 201 did not succeed").isEmpty();
            assertThat(first(unexplained)).as("jobs run more than once without having been on a killed worker")
                    .isEmpty();
            assertThat(first(mismatched)).as("jobs whose executions differ from their attempts").isEmpty();
        }
    }

    private static List<String> first(List<String> items) {
        return items.size() <= 20 ? items : items.subList(0, 20);
    }

    /** A live worker holding jobs now, the oldest first; waits (bounded) for one, e.g. a replacement to start. */
    private static AppProcess busyWorker(RedisClient client, List<AppProcess> workers) {
        AtomicReference<AppProcess> busy = new AtomicReference<>();
        Awaitility.await("a busy worker").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    for (AppProcess worker : workers) {
                        if (worker.isAlive() && worker.readiness() == 200 && runningOn(client, worker).size() >= 5) {
                            busy.set(worker);
                            return true;
                        }
                    }
                    assertThat(client.zcard(Processes.queueKey(QUEUE, "ready")))
                            .as("the work ran out before every kill: raise JOBS").isGreaterThan(0);
                    return false;
                });
        return busy.get();
    }

    /** The jobs leased to this worker now (their lease token names its pid), with their current attempt. */
    private static Map<String, Integer> runningOn(RedisClient client, AppProcess worker) {
        List<String> ids = new ArrayList<>();
        client.zrange(Processes.queueKey(QUEUE, "active")).forEach(ulid -> ids.add(QUEUE + "." + ulid));
        Map<String, Integer> running = new TreeMap<>();
        String mark = ":" + worker.pid() + ":";
        Processes.jobFields(client, ids, "token", "attempts").forEach((id, fields) -> {
            if (fields.get(0) != null && fields.get(0).contains(mark)) {
                running.put(id, Integer.parseInt(fields.get(1)));
            }
        });
        return running;
    }

    /**
     * The executions of each job: the attempts recorded in the worker logs (one line per outcome), the attempts
     * that were running on a killed worker, and the final attempt; an attempt logged twice, or a lease-lost
     * warning, is one more execution.
     */
    private record Executions(Map<String, Map<Integer, Integer>> loggedAttempts, Map<String, Integer> leaseLost,
            Map<String, Set<Integer>> killedRuns, Map<String, Integer> finalAttempts) {

        static Executions fromLogs(Processes processes, Map<String, Set<Integer>> killedRuns,
                Map<String, Integer> finalAttempts) throws IOException {
            Map<String, Map<Integer, Integer>> logged = new HashMap<>();
            Map<String, Integer> leaseLost = new HashMap<>();
            try (var files = Files.list(processes.dir())) {
                for (var log : files.filter(f -> f.getFileName().toString().startsWith("worker-")).toList()) {
                    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                        // a job handed back on shutdown gives its attempt back: not counted (none here anyway);
                        // a recovered job's line names no attempt: it reports no run of its own
                        JobLogLine.parse(line)
                                .filter(job -> job.attempt() > 0 && !job.outcome().equals("handed_back"))
                                .ifPresent(job -> logged.computeIfAbsent(job.id(), k -> new HashMap<>())
                                        .merge(job.attempt(), 1, Integer::sum));
                        JobLogLine.parseLeaseLost(line).ifPresent(id -> leaseLost.merge(id, 1, Integer::sum));
                    }
                }
            }
            return new Executions(logged, leaseLost, killedRuns, finalAttempts);
        }

        int of(String id) {
            Map<Integer, Integer> perAttempt = new HashMap<>(loggedAttempts.getOrDefault(id, Map.of()));
            killedRuns.getOrDefault(id, Set.of()).forEach(attempt -> perAttempt.merge(attempt, 1, Math::max));
            perAttempt.merge(finalAttempts.get(id), 1, Math::max);
            return perAttempt.values().stream().mapToInt(Integer::intValue).sum() + leaseLost.getOrDefault(id, 0);
        }

        String logged(String id) {
            return String.valueOf(loggedAttempts.getOrDefault(id, Map.of()));
        }
    }
}
