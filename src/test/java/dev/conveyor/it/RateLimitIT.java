package dev.conveyor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.conveyor.testing.TestKeys;

/**
 * One key's rate limit holds across API processes: two packaged API processes share one Redis, and client threads
 * spread over both send single jobs and batches (a batch counts as its jobs) with a key of 200/s for about 10 s, as
 * fast as the API answers. The jobs accepted stay within 10 % of what the limit allows: its burst plus its rate for the
 * time of the run. Everything else is a 429 with Retry-After.
 */
class RateLimitIT {

    private static final Logger LOG = Logger.getLogger(RateLimitIT.class);

    private static final String QUEUE = "rated";
    private static final String WARM_UP_QUEUE = "warm-up";
    private static final String KEY = "cvk_rate-it-W7t2Qm9Lx4Ze8Rk1Vb6Nc3Hs5Jp0Ya";
    private static final long RATE_PER_SECOND = 200;
    /** A full limit lets its count through at once. */
    private static final long BURST = RATE_PER_SECOND;
    private static final Duration RUN = Duration.ofSeconds(10);
    private static final Duration WARM_UP = Duration.ofSeconds(3);
    private static final int CLIENTS_PER_PROCESS = 3;
    /** Every other request of a client is a batch of this many jobs. */
    private static final int BATCH = 10;
    private static final double TOLERANCE = 0.10;

    @RegisterExtension
    final Processes processes = new Processes();

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void twoApiProcessesKeepOneKeyWithinItsRate() throws Exception {
        Path keys = TestKeys.newFile(List.of(TestKeys.admin(), new TestKeys.Entry("rated-app", KEY,
                List.of("submit"), List.of(QUEUE), RATE_PER_SECOND + "/s")));
        RedisProcess redis = processes.startRedis();
        Map<String, String> env = Processes.env("CONVEYOR_AUTH_KEYS_FILE", keys.toString());
        List<AppProcess> apis = List.of(processes.startApi("api-a", redis, env), processes.startApi("api-b", redis, env));
        for (AppProcess api : apis) {
            api.awaitReady(Duration.ofSeconds(90));
        }
        // warm the processes up with the admin key (no rate, another queue): a cold start would send too slowly at
        // first to spend the limit, and what a full limit cannot hold is lost
        List<Client> warmUp = run(apis, TestKeys.ADMIN, WARM_UP_QUEUE, WARM_UP);
        assertThat(warmUp.stream().flatMap(c -> c.unexpected.stream()).toList()).as("answers to the admin key")
                .isEmpty();

        long started = System.nanoTime();
        List<Client> clients = run(apis, KEY, QUEUE, RUN);
        double elapsed = (System.nanoTime() - started) / 1e9;

        long accepted = sum(clients, c -> c.acceptedJobs);
        double allowed = BURST + RATE_PER_SECOND * elapsed;
        LOG.infof("configured %d/s (burst %d) for %.2f s: %.0f jobs allowed; measured %d jobs accepted (%.1f/s after"
                + " the burst) of %d sent, %d requests refused; per process: %s", RATE_PER_SECOND, BURST, elapsed,
                allowed, accepted, (accepted - BURST) / elapsed, sum(clients, c -> c.sentJobs),
                sum(clients, c -> c.refused), apis.stream().map(api -> figures(api, clients))
                        .collect(Collectors.joining("; ")));

        assertThat(clients.stream().flatMap(c -> c.unexpected.stream()).toList())
                .as("answers other than 201 and 429 with Retry-After").isEmpty();
        assertThat(sum(clients, c -> c.refused)).as("requests refused with 429").isPositive();
        for (AppProcess api : apis) {
            assertThat(sum(clients.stream().filter(c -> c.api == api).toList(), c -> c.acceptedJobs))
                    .as("jobs accepted by %s", api.name()).isPositive();
        }
        assertThat((double) accepted).as("jobs accepted, against %.0f allowed", allowed)
                .isBetween(allowed * (1 - TOLERANCE), allowed * (1 + TOLERANCE));
        try (RedisClient client = redis.connect()) {
            assertThat(client.zcard(Processes.queueKey(QUEUE, "all"))).as("jobs in the queue").isEqualTo(accepted);
        }
    }

    /** Runs {@link #CLIENTS_PER_PROCESS} client threads per process for {@code time}, all at once; answers them. */
    private static List<Client> run(List<AppProcess> apis, String key, String queue, Duration time)
            throws Exception {
        List<Client> clients = new ArrayList<>();
        for (AppProcess api : apis) {
            IntStream.range(0, CLIENTS_PER_PROCESS).forEach(i -> clients.add(new Client(api, key, queue)));
        }
        ExecutorService threads = Executors.newFixedThreadPool(clients.size());
        try {
            long until = System.nanoTime() + time.toNanos();
            List<Future<?>> running = new ArrayList<>();
            clients.forEach(client -> running.add(threads.submit(() -> client.run(until))));
            for (Future<?> client : running) {
                client.get(time.plusSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        return clients;
    }

    private static long sum(List<Client> clients, Function<Client, AtomicLong> figure) {
        return clients.stream().mapToLong(c -> figure.apply(c).get()).sum();
    }

    private static String figures(AppProcess api, List<Client> clients) {
        List<Client> own = clients.stream().filter(c -> c.api == api).toList();
        return api.name() + " " + sum(own, c -> c.acceptedJobs) + " jobs accepted of " + sum(own, c -> c.sentJobs)
                + ", " + sum(own, c -> c.refused) + " requests refused";
    }

    /**
     * A client thread: sends single jobs and batches one after the other, without pausing, and counts jobs sent and
     * accepted (201), requests refused (429 with Retry-After) and anything else.
     */
    private static final class Client {

        final AppProcess api;
        final String key;
        final String job;
        final String batch;
        final AtomicLong sentJobs = new AtomicLong();
        final AtomicLong acceptedJobs = new AtomicLong();
        final AtomicLong refused = new AtomicLong();
        final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());

        Client(AppProcess api, String key, String queue) {
            this.api = api;
            this.key = key;
            this.job = "{\"type\":\"echo\",\"queue\":\"" + queue + "\",\"payload\":{}}";
            this.batch = IntStream.range(0, BATCH).mapToObj(i -> job)
                    .collect(Collectors.joining(",", "{\"jobs\":[", "]}"));
        }

        /** Sends until {@code until} ({@link System#nanoTime()}); every other request is a batch. */
        void run(long until) {
            for (long n = 0; System.nanoTime() < until; n++) {
                boolean isBatch = n % 2 == 1;
                int jobs = isBatch ? BATCH : 1;
                sentJobs.addAndGet(jobs);
                try {
                    HttpResponse<String> answer = send(api, isBatch ? "/jobs/batch" : "/jobs", isBatch ? batch : job,
                            key);
                    if (answer.statusCode() == 201) {
                        acceptedJobs.addAndGet(jobs);
                    } else if (answer.statusCode() == 429 && answer.headers().firstValue("Retry-After").isPresent()) {
                        refused.incrementAndGet();
                    } else {
                        note(answer.statusCode() + " " + answer.body());
                    }
                } catch (IOException e) {
                    note(e.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        /** Keeps the first few unexpected answers (a wrong setup would otherwise log thousands). */
        private void note(String answer) {
            if (unexpected.size() < 10) {
                unexpected.add(api.name() + ": " + answer);
            }
        }
    }

    /** GET {@code path} when {@code json} is null, else POST it. */
    private static HttpResponse<String> send(AppProcess api, String path, String json, String key)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.api(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", TestKeys.bearer(key));
        if (json == null) {
            request.GET();
        } else {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        }
        return Processes.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
