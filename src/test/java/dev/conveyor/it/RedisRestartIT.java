package dev.conveyor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis with AOF ({@code appendfsync always}) restarted mid-load, once after SIGTERM and once after SIGKILL, on the
 * same port and directory. The API, the worker and a client posting one job at a time keep running throughout; every
 * job answered 201 must end {@code succeeded}.
 */
class RedisRestartIT {

    private static final Logger LOG = Logger.getLogger(RedisRestartIT.class);

    private static final String QUEUE = "restart";
    /** Jobs accepted between two restarts. */
    private static final int STRIDE = 100;

    @RegisterExtension
    final Processes processes = new Processes();

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void everyAcceptedJobSurvivesRedisRestarts() throws Exception {
        long began = System.nanoTime();
        Processes.Stack<RedisProcess> stack = processes.startDurableStack(QUEUE);
        RedisProcess redis = stack.redis();
        AppProcess api = stack.api();
        AppProcess worker = stack.worker();

        List<String> accepted;
        List<Load.Answer> answers;
        try (Load load = Load.start(api, "{\"type\":\"sleep\",\"queue\":\"" + QUEUE
                + "\",\"maxAttempts\":10,\"payload\":{\"ms\":20}}")) {
            awaitAccepted(load, STRIDE);
            restart(redis, "SIGTERM", redis::sigterm, load);
            awaitAccepted(load, load.acceptedCount() + STRIDE);
            restart(redis, "SIGKILL", redis::sigkill, load);
            awaitAccepted(load, load.acceptedCount() + STRIDE);
            load.stop();
            accepted = load.accepted();
            answers = load.answers();
        }
        Map<Integer, Long> byStatus = answers.stream()
                .collect(Collectors.groupingBy(Load.Answer::status, TreeMap::new, Collectors.counting()));
        LOG.infof("answers by HTTP status (-1: no answer): %s", byStatus);

        try (RedisClient client = redis.connect()) {
            boolean done = Waiting.awaitQuietly(Duration.ofSeconds(60),
                    () -> Processes.jobFields(client, accepted, "status").values().stream()
                            .allMatch(f -> "succeeded".equals(f.get(0))));
            Map<String, List<String>> state = Processes.jobFields(client, accepted, "status", "attempts");
            Map<String, Long> statuses = state.values().stream()
                    .collect(Collectors.groupingBy(f -> String.valueOf(f.get(0)), TreeMap::new, Collectors.counting()));
            List<String> notSucceeded = state.entrySet().stream().filter(e -> !"succeeded".equals(e.getValue().get(0)))
                    .map(e -> e.getKey() + " " + e.getValue()).limit(20).toList();
            LOG.infof("%d jobs accepted with 201; now: %s (all succeeded: %s); test took %d s",
                    accepted.size(), statuses, done, Duration.ofNanos(System.nanoTime() - began).toSeconds());
            assertThat(notSucceeded).as("jobs accepted with 201 that did not succeed (first 20)").isEmpty();
        }
        List<Load.Answer> unexpected = answers.stream().filter(a -> a.status() != 201 && a.status() != 503).toList();
        assertThat(unexpected).as("answers other than 201 and 503 while Redis restarted").isEmpty();
        assertThat(worker.isAlive()).as("the worker died").isTrue();
    }

    private static void restart(RedisProcess redis, String how, Runnable stop, Load load) throws Exception {
        long acceptedBefore = load.acceptedCount();
        long stopped = System.nanoTime();
        stop.run();
        redis.restart();
        LOG.infof("Redis stopped with %s after %d accepted jobs and back in %d ms", how,
                acceptedBefore, Duration.ofNanos(System.nanoTime() - stopped).toMillis());
    }

    private static void awaitAccepted(Load load, long count) {
        Awaitility.await(count + " jobs accepted").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> load.acceptedCount() >= count);
    }
}
