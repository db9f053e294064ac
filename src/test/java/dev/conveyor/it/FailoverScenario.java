package dev.conveyor.it;

import static dev.conveyor.it.Processes.env;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.jboss.logging.Logger;

import dev.conveyor.job.JobLogLine;

/**
 * The failover test both topologies run. The packaged API and two workers run against a replicated Redis; clients
 * enqueue continuously with idempotency keys; the primary that holds the busy queue is killed (SIGKILL), its replica
 * takes over, and the killed node is started again (it comes back as a replica, as after a crash in production).
 *
 * <p>Counted: jobs acknowledged (201/200), the 503 answers, acknowledged jobs that are gone (lost with the unreplicated
 * writes of the dead primary), jobs run more than once (from the workers' logs), jobs stuck without an outcome.
 * Checked: no answer other than 2xx/503, every 503 with Retry-After, the API acknowledges jobs again after the switch,
 * the workers run them without a restart, nothing is stuck, and a lost job was acknowledged in the last second before
 * the kill (with {@code replica-acks}: none is lost).
 */
final class FailoverScenario {

    private static final Logger LOG = Logger.getLogger(FailoverScenario.class);

    private static final int CLIENTS = 4;
    private static final int CONCURRENCY = 20;
    /** The window before the kill whose acknowledgements asynchronous replication may lose. */
    static final Duration REPLICATION_WINDOW = Duration.ofSeconds(1);
    /** Answers the dead primary sent before it died may still arrive this long after the kill. */
    private static final Duration IN_FLIGHT = Duration.ofMillis(200);

    /** What the test drives: the replicated Redis, as the application sees it. */
    interface Topology {
        /** The application's Redis settings (both clients) as environment variables. */
        Map<String, String> appEnvironment();

        /** The port of the primary that serves {@code queue} now. */
        int primaryOf(String queue) throws IOException;

        void kill(int port);

        void restart(int port) throws IOException;

        void awaitHealthy() throws IOException;
    }

    /** The figures of one run. */
    record Figures(String topology, int replicaAcks, long acknowledged, Map<Integer, Long> statuses,
            Map<String, Long> problems, long lost, long oldestLostMillis, long acknowledgedInWindow,
            long duplicates, long stuck, long failoverMillis, long enqueueGapMillis) {

        @Override
        public String toString() {
            return "topology=" + topology + " replica-acks=" + replicaAcks + " acknowledged=" + acknowledged
                    + " answers=" + statuses + " 503-types=" + problems + " lost=" + lost
                    + " oldest-lost-acknowledged-ms-before-kill=" + oldestLostMillis
                    + " acknowledged-in-last-" + REPLICATION_WINDOW.toMillis() + "ms-before-kill="
                    + acknowledgedInWindow
                    + " duplicate-executions=" + duplicates + " stuck=" + stuck + " failover-ms=" + failoverMillis
                    + " no-enqueue-acknowledged-for-ms=" + enqueueGapMillis;
        }
    }

    private final Processes processes;
    private final String name;
    private final Topology topology;
    private final List<String> queues;
    private final int replicaAcks;

    FailoverScenario(Processes processes, String name, Topology topology, List<String> queues, int replicaAcks) {
        this.processes = processes;
        this.name = name;
        this.topology = topology;
        this.queues = List.copyOf(queues);
        this.replicaAcks = replicaAcks;
    }

    /** Runs the failover of the primary that holds {@code queues.get(0)} and checks what every run must show. */
    Figures run() throws Exception {
        Map<String, String> appEnv = new LinkedHashMap<>(env(
                "CONVEYOR_QUEUE_REPLICA_ACKS", Integer.toString(replicaAcks)));
        Map<String, String> workerEnv = new LinkedHashMap<>(appEnv);
        workerEnv.putAll(env(
                "CONVEYOR_WORKER_LEASE", "5s",
                "CONVEYOR_WORKER_REAP_INTERVAL", "1s",
                "CONVEYOR_WORKER_CONCURRENCY", Integer.toString(CONCURRENCY),
                "CONVEYOR_WORKER_QUEUES", String.join(",", queues),
                "CONVEYOR_RETRY_INITIAL_DELAY", "50ms",
                "CONVEYOR_RETRY_MAX_DELAY", "1s",
                "CONVEYOR_RETENTION_SUCCEEDED_COUNT", "1000000"));
        AppProcess api = processes.start("api", AppProcess.Role.API, topology.appEnvironment(), appEnv);
        List<AppProcess> workers = List.of(
                processes.start("worker-1", AppProcess.Role.WORKER, topology.appEnvironment(), workerEnv),
                processes.start("worker-2", AppProcess.Role.WORKER, topology.appEnvironment(), workerEnv));
        api.awaitReady(Duration.ofSeconds(90));
        for (AppProcess worker : workers) {
            worker.awaitReady(Duration.ofSeconds(90));
        }

        String busyQueue = queues.get(0);
        long killedAt;
        long failoverMillis;
        long enqueueGapMillis;
        long acknowledgedInWindow;
        KeyedLoad load = KeyedLoad.start(api, CLIENTS, n -> sleepJob(queues.get((int) (n % queues.size())), n));
        try {
            awaitAcknowledged(load, "before the kill", Long.MIN_VALUE);
            int victim = topology.primaryOf(busyQueue);
            killedAt = System.nanoTime();
            topology.kill(victim);
            LOG.infof("%s: killed the primary on port %d (it holds queue %s), %d jobs acknowledged so far", name,
                    victim, busyQueue, load.acknowledged().size());
            Awaitility.await("a replica promoted").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .ignoreExceptions().until(() -> topology.primaryOf(busyQueue) != victim);
            failoverMillis = Duration.ofNanos(System.nanoTime() - killedAt).toMillis();
            LOG.infof("%s: the replica on port %d took over %d ms after the kill; starting the killed node again",
                    name, topology.primaryOf(busyQueue), failoverMillis);
            topology.restart(victim);
            topology.awaitHealthy();
            long healthyAt = System.nanoTime();
            awaitAcknowledged(load, "after the switch", healthyAt);
            enqueueGapMillis = longestGap(load.acknowledged(), killedAt);
            // answers already on their way from the primary when it died arrive just after the kill
            acknowledgedInWindow = load.acknowledgedBetween(killedAt - REPLICATION_WINDOW.toNanos(),
                    killedAt + IN_FLIGHT.toNanos());
        } finally {
            load.stop();
        }

        List<KeyedLoad.Acknowledged> acknowledged = load.acknowledged();
        Map<String, Integer> succeeded = new HashMap<>();
        Map<String, Integer> executions = new HashMap<>();
        // every acknowledged job that exists ends succeeded; the lost ones never show up
        Waiting.awaitQuietly(Duration.ofSeconds(30), () -> {
            readWorkerLogs(succeeded, executions);
            return acknowledged.stream().allMatch(a -> succeeded.containsKey(a.id()));
        });
        readWorkerLogs(succeeded, executions);
        List<String> lost = new ArrayList<>();
        List<String> stuck = new ArrayList<>();
        // lost jobs outside the window before the kill, each with the time of its acknowledgement from the kill
        List<String> lostOutsideWindow = new ArrayList<>();
        long oldestLostMillis = 0;
        for (KeyedLoad.Acknowledged a : acknowledged) {
            if (!succeeded.containsKey(a.id())) {
                Processes.Answer job = Processes.get(api, "/jobs/" + a.id());
                String status = job.body() == null ? "" : job.body().path("status").asText();
                if (job.status() == 200 && status.equals("succeeded")) {
                    // recorded, but the answer to the worker's call died with the primary: its log says lease lost
                    continue;
                }
                (job.status() == 404 ? lost : stuck).add(a.id() + " (" + job.status() + " " + status + ")");
                long fromKill = Duration.ofNanos(a.atNanos() - killedAt).toMillis();
                if (job.status() == 404) {
                    oldestLostMillis = Math.max(oldestLostMillis, -fromKill);
                    if (-fromKill > REPLICATION_WINDOW.toMillis() || fromKill > IN_FLIGHT.toMillis()) {
                        lostOutsideWindow.add(a.id() + " (acknowledged " + fromKill + " ms from the kill)");
                    }
                }
            }
        }
        long duplicates = acknowledged.stream().mapToLong(a -> Math.max(0, executions.getOrDefault(a.id(), 0) - 1))
                .sum();
        Figures figures = new Figures(name, replicaAcks, acknowledged.size(), load.statuses(), load.problemTypes(),
                lost.size(), oldestLostMillis, acknowledgedInWindow, duplicates, stuck.size(), failoverMillis,
                enqueueGapMillis);
        LOG.infof("FIGURES: %s", figures);

        Map<Integer, Long> odd = new LinkedHashMap<>(load.statuses());
        odd.keySet().removeAll(List.of(200, 201, 503));
        assertThat(odd).as("answers other than 201, 200 and 503 (-1: no answer within %s)", KeyedLoad.REQUEST_TIMEOUT)
                .isEmpty();
        assertThat(load.withoutRetryAfter()).as("503 answers without Retry-After").isZero();
        for (AppProcess worker : workers) {
            assertThat(worker.isAlive()).as(worker + " is alive").isTrue();
        }
        assertThat(first(stuck)).as("acknowledged jobs without an outcome").isEmpty();
        if (replicaAcks > 0) {
            assertThat(first(lost)).as("acknowledged jobs lost although a replica confirmed them").isEmpty();
        } else {
            // only writes of the last moments before the kill can be missing on the replica
            assertThat(first(lostOutsideWindow)).as("lost jobs acknowledged more than %s before the kill, or after it",
                    REPLICATION_WINDOW).isEmpty();
        }
        return figures;
    }

    /** Until 300 jobs were acknowledged since {@code sinceNanos}; a timeout says what the API answered instead. */
    private static void awaitAcknowledged(KeyedLoad load, String when, long sinceNanos) {
        try {
            Awaitility.await("jobs acknowledged " + when).atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(20)).until(() -> load.acknowledgedSince(sinceNanos) >= 300);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("fewer than 300 jobs acknowledged " + when + " within 30 s; answers so far "
                    + load.statuses() + ", 503 types " + load.problemTypes() + " (the API's log says why)", e);
        }
    }

    /** Succeeded lines and executions (every ended attempt and every lost-lease warning) per job, from scratch. */
    private void readWorkerLogs(Map<String, Integer> succeeded, Map<String, Integer> executions) throws IOException {
        succeeded.clear();
        executions.clear();
        try (var files = Files.list(processes.dir())) {
            for (var log : files.filter(f -> f.getFileName().toString().startsWith("worker-")).toList()) {
                for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    JobLogLine.parse(line).filter(job -> job.attempt() > 0 && !job.outcome().equals("handed_back"))
                            .ifPresent(job -> {
                                executions.merge(job.id(), 1, Integer::sum);
                                if (job.outcome().equals("succeeded")) {
                                    succeeded.merge(job.id(), 1, Integer::sum);
                                }
                            });
                    JobLogLine.parseLeaseLost(line).ifPresent(id -> executions.merge(id, 1, Integer::sum));
                }
            }
        }
    }

    /** The longest time after {@code fromNanos} in which no enqueue was acknowledged. */
    private static long longestGap(List<KeyedLoad.Acknowledged> acknowledged, long fromNanos) {
        long previous = fromNanos;
        long longest = 0;
        for (long at : acknowledged.stream().mapToLong(KeyedLoad.Acknowledged::atNanos).filter(t -> t >= fromNanos)
                .sorted().toArray()) {
            longest = Math.max(longest, at - previous);
            previous = at;
        }
        return Duration.ofNanos(longest).toMillis();
    }

    private static String sleepJob(String queue, long n) {
        return "{\"type\":\"sleep\",\"queue\":\"" + queue + "\",\"maxAttempts\":10,\"payload\":{\"ms\":"
                + (5 + n % 20) + "}}";
    }

    private static List<String> first(List<String> items) {
        return items.size() <= 20 ? items : items.subList(0, 20);
    }
}
