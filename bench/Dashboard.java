import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client of bench/dashboard.sh: fills queues through the public API in the shape a busy installation has, and
 * times the calls the dashboard's overview makes, with Redis' own time for them (INFO commandstats before and after).
 * JDK only; the API key comes from BENCH_API_KEY.
 *
 * <pre>
 * java bench/Dashboard.java fill    --api URL --queues 100 --per-queue 10000 --part finished|queued
 * java bench/Dashboard.java settled --api URL --timeout-s 600
 * java bench/Dashboard.java measure --api URL --redis-port P --reps 50 --path /queues [--path /stats?minutes=60 ...]
 * </pre>
 */
public class Dashboard {

    /** Of every 100 jobs of a queue: how many end in each state (the rest succeed). */
    static final int SCHEDULED = 1, RETRYING = 1, FAILED = 10, QUEUED = 2;

    static final String KEY = System.getenv("BENCH_API_KEY");
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        Map<String, List<String>> opts = new HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            opts.computeIfAbsent(args[i].replaceFirst("^--", ""), k -> new ArrayList<>()).add(args[i + 1]);
        }
        URI api = URI.create(opts.get("api").get(0));
        switch (args[0]) {
            case "fill" -> fill(api, Integer.parseInt(one(opts, "queues")), Integer.parseInt(one(opts, "per-queue")),
                    one(opts, "part"));
            case "settled" -> settled(api, Integer.parseInt(one(opts, "timeout-s")));
            case "measure" -> measure(api, Integer.parseInt(one(opts, "redis-port")),
                    Integer.parseInt(one(opts, "reps")), opts.get("path"));
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    static String one(Map<String, List<String>> opts, String name) {
        return opts.get(name).get(0);
    }

    static String queue(int i) {
        return String.format("q%02d", i);
    }

    // ------------------------------------------------------------------ fill

    /**
     * part "finished": the jobs of each queue that the workers finish (succeeded, failed, left retrying) or that wait
     * for later (scheduled); part "queued": the jobs left waiting, enqueued once no worker runs. Batches of 1000 of
     * one queue, two in flight.
     */
    static void fill(URI api, int queues, int perQueue, String part) throws Exception {
        List<String> bodies = new ArrayList<>();
        Random random = new Random(42);
        for (int q = 0; q < queues; q++) {
            List<String> jobs = new ArrayList<>();
            int queued = perQueue * QUEUED / 100;
            if (part.equals("queued")) {
                for (int i = 0; i < queued; i++) {
                    jobs.add(job("echo", "{\"n\":" + i + "}", ""));
                }
            } else {
                int scheduled = perQueue * SCHEDULED / 100, retrying = perQueue * RETRYING / 100;
                int failed = perQueue * FAILED / 100;
                int succeeded = perQueue - queued - scheduled - retrying - failed;
                for (int i = 0; i < scheduled; i++) {
                    jobs.add(job("echo", "{\"report\":" + i + "}", ",\"delay\":\"PT6H\""));
                }
                for (int i = 0; i < retrying; i++) { // fails once, then waits hours for its next attempt
                    jobs.add(job("sleep", "{\"ms\":0,\"failTimes\":5}",
                            ",\"maxAttempts\":5,\"backoff\":{\"initialDelay\":\"PT6H\",\"maxDelay\":\"PT12H\"}"));
                }
                for (int i = 0; i < failed; i++) {
                    jobs.add(job("sleep", "{\"ms\":0,\"failTimes\":1,\"retryable\":false}", ",\"maxAttempts\":1"));
                }
                for (int i = 0; i < succeeded; i++) {
                    jobs.add(i % 10 == 0 ? job("primes", "{\"lowest\":1,\"highest\":50}", "")
                            : job("echo", "{\"order\":" + i + ",\"customer\":\"c-" + random.nextInt(100000) + "\"}", ""));
                }
                Collections.shuffle(jobs, random);
            }
            for (int from = 0; from < jobs.size(); from += 1000) {
                List<String> batch = jobs.subList(from, Math.min(jobs.size(), from + 1000));
                bodies.add("{\"jobs\":[" + String.join(",", batch).replace("\"QUEUE\"", "\"" + queue(q) + "\"")
                        + "]}");
            }
        }
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> sent = new ArrayList<>();
        for (String body : bodies) {
            sent.add(pool.submit(() -> {
                HttpResponse<String> answer = HTTP.send(request(api.resolve("/jobs/batch"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() / 100 != 2) {
                    String text = answer.body();
                    throw new IOException("POST /jobs/batch: " + answer.statusCode() + " "
                            + text.substring(0, Math.min(300, text.length())));
                }
                return null;
            }));
        }
        try {
            for (Future<?> f : sent) {
                f.get();
            }
        } finally {
            pool.shutdownNow(); // a failed batch ends the run: no more batches after it
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int total = bodies.stream().mapToInt(b -> b.split("\"type\"", -1).length - 1).sum();
        System.err.printf("enqueued %d jobs (%s) in %d batches in %.1f s (%.0f jobs/s)%n", total, part,
                bodies.size(), seconds, total / seconds);
    }

    static String job(String type, String payload, String more) {
        return "{\"type\":\"" + type + "\",\"queue\":\"QUEUE\",\"payload\":" + payload + more + "}";
    }

    // ------------------------------------------------------------------ settled

    static final Pattern COUNT = Pattern.compile("\"(scheduled|queued|running|retrying|succeeded|failed|cancelled)\":(\\d+)");

    /** Waits until no job of any queue is queued or running (twice in a row, a second apart); prints the totals. */
    static void settled(URI api, int timeoutS) throws Exception {
        long deadline = System.nanoTime() + timeoutS * 1_000_000_000L;
        int calm = 0;
        long start = System.nanoTime();
        long lastLog = 0;
        while (true) {
            Map<String, Long> totals = totals(get(api, "/queues").body());
            long busy = totals.getOrDefault("queued", 0L) + totals.getOrDefault("running", 0L);
            calm = busy == 0 ? calm + 1 : 0;
            if (calm == 2) {
                System.err.printf("settled after %.0f s: %s%n", (System.nanoTime() - start) / 1e9, totals);
                return;
            }
            if (System.nanoTime() - lastLog > 15_000_000_000L) {
                System.err.printf("  %.0f s: %s%n", (System.nanoTime() - start) / 1e9, totals);
                lastLog = System.nanoTime();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("still busy after " + timeoutS + " s: " + totals);
            }
            Thread.sleep(1000);
        }
    }

    static Map<String, Long> totals(String queuesJson) {
        Map<String, Long> totals = new java.util.TreeMap<>();
        Matcher m = COUNT.matcher(queuesJson);
        while (m.find()) {
            totals.merge(m.group(1), Long.parseLong(m.group(2)), Long::sum);
        }
        return totals;
    }

    // ------------------------------------------------------------------ measure

    /**
     * Per path: 10 unmeasured calls, then reps calls one after another; latency p50/p95/max, the answer's size, and
     * Redis' time and commands per call from INFO commandstats around the measured calls (the only Redis client
     * then is the API; a worker's idle wait adds a blocking command or two, not counted in the time).
     */
    static void measure(URI api, int redisPort, int reps, List<String> paths) throws Exception {
        System.out.printf("%-22s %8s %8s %8s %9s %10s %10s  %s%n", "call", "p50 ms", "p95 ms", "max ms", "KiB",
                "redis ms", "commands", "status");
        for (String path : paths) {
            for (int i = 0; i < 10; i++) {
                get(api, path);
            }
            Map<String, long[]> before = commandStats(redisPort);
            long[] nanos = new long[reps];
            int size = 0, status = 0;
            for (int i = 0; i < reps; i++) {
                long t = System.nanoTime();
                HttpResponse<String> answer = get(api, path);
                nanos[i] = System.nanoTime() - t;
                size = answer.body().length();
                status = answer.statusCode();
            }
            Map<String, long[]> after = commandStats(redisPort);
            long calls = 0, usec = 0;
            for (Map.Entry<String, long[]> e : after.entrySet()) {
                if (e.getKey().equals("info") || e.getKey().startsWith("blmpop") || e.getKey().startsWith("bzpopmin")
                        || e.getKey().startsWith("brpop") || e.getKey().startsWith("blpop")) {
                    continue;
                }
                long[] b = before.getOrDefault(e.getKey(), new long[2]);
                calls += e.getValue()[0] - b[0];
                usec += e.getValue()[1] - b[1];
            }
            Arrays.sort(nanos);
            System.out.printf("%-22s %8.1f %8.1f %8.1f %9.1f %10.2f %10.0f  %d%n", "GET " + path,
                    pct(nanos, 50) / 1e6, pct(nanos, 95) / 1e6, nanos[reps - 1] / 1e6, size / 1024.0,
                    usec / 1000.0 / reps, (double) calls / reps, status);
        }
    }

    static long pct(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }

    static HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
        return KEY == null || KEY.isEmpty() ? b : b.header("Authorization", "Bearer " + KEY);
    }

    static HttpResponse<String> get(URI api, String path) throws IOException, InterruptedException {
        return HTTP.send(request(api.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static final Pattern STAT = Pattern.compile("cmdstat_([a-z|_-]+):calls=(\\d+),usec=(\\d+)");

    /** INFO commandstats over a plain socket: command, {calls, usec}. */
    static Map<String, long[]> commandStats(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write("INFO commandstats\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder header = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                header.append((char) c);
            }
            int length = Integer.parseInt(header.substring(1).trim());
            byte[] body = in.readNBytes(length);
            Map<String, long[]> stats = new HashMap<>();
            Matcher m = STAT.matcher(new String(body, StandardCharsets.US_ASCII));
            while (m.find()) {
                stats.put(m.group(1), new long[] { Long.parseLong(m.group(2)), Long.parseLong(m.group(3)) });
            }
            return stats;
        }
    }
}
