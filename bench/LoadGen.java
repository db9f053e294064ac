// Conveyor load generator: the client side of the benchmark scenarios of bench/run.sh.
//
// A single-file JDK 17 program with the app's libraries on its class path
// (`java -cp 'target/api/quarkus-app/lib/main/*' bench/LoadGen.java <command> ...`; run.sh compiles it once with
// javac and runs the class, which is the same code without the per-call compile). Its HTTP client is a small
// non-blocking HTTP/1.1 client on java.nio (one selector thread, N keep-alive connections, one request in flight per
// connection, Content-Length and chunked bodies): cheap enough per request that the client does not starve the
// server of the 2 CPUs it shares with it. Redis is read with the Vert.x Redis client (INFO, ZCARD, FLUSHALL...), and CPU/RSS
// of the measured processes come from /proc.
//
// The API runs with access control on: every request carries `Authorization: Bearer $BENCH_API_KEY` (the key run.sh
// makes for the run; an environment variable, so that it is in no process' arguments), built into the request bytes
// once like the rest of the request.
//
// Every command appends one JSON line per measurement to --out (and echoes it to stderr); `summarize` turns the
// lines into the table and bench/results/latest.json.
//
// Commands (common options: --api http://127.0.0.1:PORT --redis-port P --out raw.jsonl --rep R --n N
//           --api-pid PID --redis-pid PID[,PID...]; on a Redis Cluster --redis-nodes 127.0.0.1:P1,127.0.0.1:P2...
//           names every primary instead of --redis-port: keyed reads go through a cluster client, FLUSHALL, INFO
//           and the command and CPU counters go to every primary and are added up):
//   wait-ready --url URL [--timeout-s 60] [--pid P]   GET URL until 200 (fails at once if P exits)
//   flush                                        FLUSHALL
//   warmup                                       a little of every request type, then FLUSHALL
//   enqueue --mode batch|single [--conns 64]     FLUSHALL, N jobs via POST /jobs/batch (1000 per call, one client,
//                                                each call awaited) or N single POST /jobs over --conns connections
//   prefill --state FILE [--queues default]      pause the queues, enqueue N jobs in batches of 1000, spread evenly
//                                                over the queues (q0,q1,... land on several shards of a cluster);
//                                                writes the Redis commands and CPU of the enqueue to FILE
//   drain --state FILE --pids P1,P2 --test NAME  resume the queues, wait until N jobs succeeded; throughput, Redis
//                                                commands and Redis CPU (INFO cpu) per job, worker CPU and RSS peak
//   pickup [--samples 500] [--gap-ms 5] [--queue default]   one job at a time: POST /jobs, wait for it to finish,
//                                                latency = startedAt - createdAt
//   redis-segments --redis-port P --labels a,b,c [--n N] [--every-ms 20]
//                                                watches a Redis someone else drives (the BullMQ peer's): from one
//                                                FLUSHALL to the next is one segment, labelled in order; per segment
//                                                Redis CPU (INFO cpu) and commands (INFO commandstats) per job.
//                                                Waits for Redis to come up; ends when it goes away or all are seen
//   capacity --conveyor raw.jsonl --bullmq raw.jsonl --segments segments.jsonl
//                                                the table of bench/capacity.sh: Redis CPU and commands per job
//   summarize --raw FILE --json FILE [--meta k=v;...]   median (min..max) table and latest.json
//   compare --json latest.json --peer raw.jsonl   Conveyor's medians next to the BullMQ peer's (its results/raw.jsonl,
//                                                by default in ~/.cache/bullmq-baseline) and the performance targets
//
// Every wait is bounded; every failure exits non-zero with a message.

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

public class LoadGen {

    static final int BATCH = 1000;
    static final String ECHO = "{\"type\":\"echo\",\"payload\":{}}";

    // ------------------------------------------------------------------------------------------------ options
    final Map<String, String> opts = new HashMap<>();

    String opt(String key, String def) {
        return opts.getOrDefault(key, def);
    }

    String req(String key) {
        String v = opts.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing --" + key);
        }
        return v;
    }

    int intOpt(String key, int def) {
        return Integer.parseInt(opt(key, Integer.toString(def)));
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: java bench/LoadGen.java <wait-ready|warmup|enqueue|prefill|drain|pickup|summarize> [--key value ...]");
            System.exit(2);
        }
        LoadGen g = new LoadGen();
        for (int i = 1; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option, got " + args[i]);
            }
            g.opts.put(args[i].substring(2), args[i + 1]);
        }
        try {
            switch (args[0]) {
                case "wait-ready" -> g.waitReady();
                case "warmup" -> g.warmup();
                case "flush" -> g.flush();
                case "enqueue" -> g.enqueue();
                case "prefill" -> g.prefill();
                case "drain" -> g.drain();
                case "pickup" -> g.pickup();
                case "summarize" -> Summary.run(g);
                case "compare" -> Summary.compare(g);
                case "redis-segments" -> g.redisSegments();
                case "capacity" -> Summary.capacity(g);
                default -> throw new IllegalArgumentException("unknown command " + args[0]);
            }
        } catch (Exception e) {
            System.err.println("LoadGen " + args[0] + " failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    // ------------------------------------------------------------------------------------------------ commands
    void waitReady() throws Exception {
        URI uri = URI.create(req("url"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(intOpt("timeout-s", 60));
        String last = "";
        int pid = Integer.parseInt(opt("pid", "0"));
        while (System.nanoTime() < deadline) {
            if (pid > 0 && !Proc.alive(pid)) {
                throw new IllegalStateException("process " + pid + " exited before " + uri + " was ready");
            }
            try (Http http = new Http(uri.getHost(), uri.getPort(), 1)) {
                Resp r = http.conns.get(0).call(Http.get(uri.getHost(), uri.getPort(), uri.getRawPath()), 5000);
                if (r.status == 200) {
                    return;
                }
                last = "HTTP " + r.status;
            } catch (IOException | RuntimeException e) {
                last = e.toString();
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(uri + " not ready within " + opt("timeout-s", "60") + " s: " + last);
    }

    URI api() {
        return URI.create(req("api"));
    }

    Redis redis() throws IOException {
        String nodes = opt("redis-nodes", "");
        if (nodes.isBlank()) {
            return new Redis("127.0.0.1", Integer.parseInt(req("redis-port")));
        }
        return new Redis(List.of(nodes.split(",")), true);
    }

    List<String> queues() {
        return List.of(opt("queues", "default").split(","));
    }

    static String batchBody(int count, String queue) {
        String job = queue.equals("default") ? ECHO : "{\"type\":\"echo\",\"queue\":\"" + queue + "\",\"payload\":{}}";
        StringBuilder b = new StringBuilder(count * (job.length() + 1) + 16).append("{\"jobs\":[");
        for (int i = 0; i < count; i++) {
            b.append(i == 0 ? "" : ",").append(job);
        }
        return b.append("]}").toString();
    }

    /** Enqueues n jobs in awaited batches of 1000 on one connection. */
    static void enqueueBatches(Http http, URI api, int n) throws Exception {
        enqueueBatches(http, api, n, "default");
    }

    /** Enqueues n jobs into one queue in awaited batches of 1000 on one connection. */
    static void enqueueBatches(Http http, URI api, int n, String queue) throws Exception {
        Conn c = http.conns.get(0);
        byte[] full = Http.post(api.getHost(), api.getPort(), "/jobs/batch", batchBody(BATCH, queue));
        for (int done = 0; done < n; done += BATCH) {
            int count = Math.min(BATCH, n - done);
            byte[] request = count == BATCH ? full
                    : Http.post(api.getHost(), api.getPort(), "/jobs/batch", batchBody(count, queue));
            Resp r = c.call(request, 30_000);
            if (r.status != 201) {
                throw new IllegalStateException("POST /jobs/batch: HTTP " + r.status + " " + r.text());
            }
        }
    }

    /** n single POST /jobs over all connections of http, each connection one request at a time; latencies in ns. */
    static long[] enqueueSingles(Http http, URI api, int n, long timeoutMs) throws Exception {
        byte[] request = Http.post(api.getHost(), api.getPort(), "/jobs", ECHO);
        long[] lat = new long[n];
        AtomicInteger issued = new AtomicInteger();
        AtomicInteger completed = new AtomicInteger();
        AtomicReference<String> error = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(http.conns.size());
        for (Conn c : http.conns) {
            http.loop.execute(new Runnable() {
                @Override
                public void run() {
                    int i = issued.getAndIncrement();
                    if (i >= n || error.get() != null) {
                        done.countDown();
                        return;
                    }
                    long t0 = System.nanoTime();
                    Runnable self = this;
                    c.send(request, false, r -> {
                        lat[i] = System.nanoTime() - t0;
                        if (r.status != 201) {
                            error.compareAndSet(null, "POST /jobs: HTTP " + r.status + " " + r.text());
                        } else {
                            completed.incrementAndGet();
                        }
                        self.run();
                    }, failure -> {
                        error.compareAndSet(null, failure.toString());
                        done.countDown();
                    });
                }
            });
        }
        if (!done.await(timeoutMs, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("single enqueue: only " + completed.get() + " of " + n + " done in "
                    + timeoutMs + " ms");
        }
        if (error.get() != null) {
            throw new IllegalStateException(error.get());
        }
        return lat;
    }

    void flush() throws Exception {
        try (Redis redis = redis()) {
            redis.flushAll();
        }
    }

    void warmup() throws Exception {
        URI api = api();
        try (Redis redis = redis(); Http one = new Http(api.getHost(), api.getPort(), 1);
                Http many = new Http(api.getHost(), api.getPort(), intOpt("conns", 64))) {
            for (int round = 0; round < intOpt("rounds", 2); round++) {
                redis.flushAll();
                enqueueBatches(one, api, 5 * BATCH);
                enqueueSingles(many, api, 5000, 120_000);
                Resp r = one.conns.get(0).call(Http.get(api.getHost(), api.getPort(), "/queues"), 10_000);
                if (r.status != 200) {
                    throw new IllegalStateException("GET /queues: HTTP " + r.status);
                }
            }
            redis.flushAll();
        }
    }

    void enqueue() throws Exception {
        URI api = api();
        String mode = req("mode");
        int n = intOpt("n", 20000);
        int conns = mode.equals("batch") ? 1 : intOpt("conns", 64);
        try (Redis redis = redis(); Http http = new Http(api.getHost(), api.getPort(), conns)) {
            redis.flushAll();
            Probe probe = new Probe(this, List.of());
            long k0 = redis.totalCommands();
            long sent0 = redis.sent;
            probe.start();
            long t0 = System.nanoTime();
            long[] lat = null;
            if (mode.equals("batch")) {
                enqueueBatches(http, api, n);
            } else {
                lat = enqueueSingles(http, api, n, 600_000);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            probe.stop();
            long own = redis.sent - sent0;
            long k1 = redis.totalCommands();
            long ready = redis.zcard("conveyor:{default}:ready");
            if (ready != n) {
                throw new IllegalStateException("ready " + ready + " != " + n);
            }
            Rec rec = new Rec("enqueue_" + mode).num("rep", intOpt("rep", 1)).num("n", n).num("conns", conns)
                    .num("seconds", seconds).num("jobs_per_s", n / seconds)
                    .num("redis_cmds_per_job", (double) (k1 - k0 - own) / n);
            if (lat != null) {
                Arrays.sort(lat);
                rec.num("req_p50_ms", pct(lat, 50) / 1e6).num("req_p99_ms", pct(lat, 99) / 1e6);
            }
            probe.into(rec, seconds, n);
            emit(rec);
        }
    }

    void prefill() throws Exception {
        URI api = api();
        int n = intOpt("n", 20000);
        List<String> queues = queues();
        try (Redis redis = redis(); Http http = new Http(api.getHost(), api.getPort(), 1)) {
            Conn c = http.conns.get(0);
            for (String queue : queues) {
                pause(c, api, queue);
            }
            long k0 = redis.totalCommands();
            double cpu0 = redis.cpuSeconds();
            long sent0 = redis.sent;
            long t0 = System.nanoTime();
            for (int i = 0; i < queues.size(); i++) {
                enqueueBatches(http, api, share(n, queues.size(), i), queues.get(i));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            long own = redis.sent - sent0;
            long k1 = redis.totalCommands();
            double cpu1 = redis.cpuSeconds();
            long ready = 0;
            for (String queue : queues) {
                ready += redis.zcard("conveyor:{" + queue + "}:ready");
            }
            if (ready != n) {
                throw new IllegalStateException("ready " + ready + " != " + n);
            }
            Properties state = new Properties();
            state.setProperty("enqueue_cmds", Long.toString(k1 - k0 - own));
            state.setProperty("enqueue_redis_cpu_s", Double.toString(cpu1 - cpu0));
            state.setProperty("enqueue_seconds", Double.toString(seconds));
            state.setProperty("n", Integer.toString(n));
            try (OutputStream out = Files.newOutputStream(Path.of(req("state")))) {
                state.store(out, "prefill");
            }
        }
    }

    /**
     * Pauses a queue. A queue other than the default one exists once it held a job: one scheduled an hour ahead
     * makes it, and is cancelled once the queue is paused.
     */
    static void pause(Conn c, URI api, String queue) throws Exception {
        String host = api.getHost();
        int port = api.getPort();
        String placeholder = null;
        if (!queue.equals("default")) {
            Resp created = c.call(Http.post(host, port, "/jobs", "{\"type\":\"echo\",\"queue\":\"" + queue
                    + "\",\"payload\":{},\"delay\":\"PT1H\"}"), 10_000);
            if (created.status != 201) {
                throw new IllegalStateException("POST /jobs: HTTP " + created.status + " " + created.text());
            }
            placeholder = fields(created.text()).get("id");
        }
        Resp paused = c.call(Http.post(host, port, "/queues/" + queue + "/pause", ""), 10_000);
        if (paused.status != 200) {
            throw new IllegalStateException("pause " + queue + ": HTTP " + paused.status + " " + paused.text());
        }
        if (placeholder != null) {
            Resp cancelled = c.call(Http.request("DELETE", host, port, "/jobs/" + placeholder), 10_000);
            if (cancelled.status / 100 != 2) {
                throw new IllegalStateException("DELETE " + placeholder + ": HTTP " + cancelled.status + " " + cancelled.text());
            }
        }
    }

    /** The i-th of k shares of n, as even as whole jobs allow. */
    static int share(int n, int k, int i) {
        return n / k + (i < n % k ? 1 : 0);
    }

    void drain() throws Exception {
        URI api = api();
        List<String> queues = queues();
        Properties state = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(req("state")))) {
            state.load(in);
        }
        int n = Integer.parseInt(state.getProperty("n"));
        long enqueueCmds = Long.parseLong(state.getProperty("enqueue_cmds"));
        double enqueueCpu = Double.parseDouble(state.getProperty("enqueue_redis_cpu_s"));
        List<Integer> pids = pids(req("pids"));
        try (Redis redis = redis(); Http http = new Http(api.getHost(), api.getPort(), 1)) {
            Thread.sleep(intOpt("settle-ms", 1000)); // like the peer: let the just-started worker settle
            long[] rssIdle = pids.stream().mapToLong(Proc::rssKb).toArray();
            long succeeded0 = succeeded(redis, queues);
            Map<String, long[]> stats0 = redis.commandStats();
            long k0 = redis.totalCommands();
            double[] cpu0 = redis.cpuSecondsPerNode();
            long sent0 = redis.sent;
            Probe probe = new Probe(this, pids);
            probe.start();
            long wall0 = System.currentTimeMillis();
            long t0 = System.nanoTime();
            for (String queue : queues) {
                Resp resumed = http.conns.get(0).call(
                        Http.post(api.getHost(), api.getPort(), "/queues/" + queue + "/resume", ""), 10_000);
                if (resumed.status != 200) {
                    throw new IllegalStateException("resume " + queue + ": HTTP " + resumed.status + " " + resumed.text());
                }
            }
            long deadline = t0 + TimeUnit.SECONDS.toNanos(intOpt("timeout-s", 600));
            long done;
            while ((done = succeeded(redis, queues) - succeeded0) < n) {
                alive(pids);
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + done + " of " + n + " succeeded in time");
                }
                Thread.sleep(5);
            }
            double observed = (System.nanoTime() - t0) / 1e9;
            double[] cpu1 = redis.cpuSecondsPerNode();
            probe.stop();
            long own = redis.sent - sent0;
            long k1 = redis.totalCommands();
            long sentAfter = redis.sent;
            Map<String, long[]> stats1 = redis.commandStats();
            long ownStats = redis.sent - sentAfter; // the commandstats reads themselves are counted there too
            long lastFinished = 0;
            long failed = 0;
            for (String queue : queues) {
                Response last = redis.cmd("ZRANGE", "conveyor:{" + queue + "}:succeeded", "-1", "-1", "WITHSCORES");
                lastFinished = Math.max(lastFinished, (long) Double.parseDouble(last.get(1).toString()));
                failed += redis.zcard("conveyor:{" + queue + "}:failed");
            }
            double window = Math.max(1, lastFinished - wall0) / 1000.0;
            double processCmds = k1 - k0 - own;
            double processCpu = 0;
            StringBuilder perNode = new StringBuilder();
            for (int i = 0; i < cpu0.length; i++) {
                processCpu += cpu1[i] - cpu0[i];
                perNode.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.0f", 100 * (cpu1[i] - cpu0[i]) / observed));
            }
            Rec rec = new Rec(req("test")).num("rep", intOpt("rep", 1)).num("n", n).num("workers", pids.size())
                    .num("queues", queues.size()).num("redis_nodes", cpu0.length)
                    .num("seconds", window).num("jobs_per_s", n / window)
                    .num("seconds_observed", observed)
                    .num("redis_cmds_per_job", (enqueueCmds + processCmds) / n)
                    .num("redis_cmds_per_job_enqueue", (double) enqueueCmds / n)
                    .num("redis_cmds_per_job_processing", processCmds / n)
                    .num("redis_cpu_us_per_job", 1e6 * (enqueueCpu + processCpu) / n)
                    .num("redis_cpu_us_per_job_enqueue", 1e6 * enqueueCpu / n)
                    .num("redis_cpu_us_per_job_processing", 1e6 * processCpu / n)
                    .str("redis_cpu_pct_per_node", perNode.toString())
                    .num("failed", failed);
            probe.into(rec, observed, n);
            rec.num("worker_rss_idle_mib", Arrays.stream(rssIdle).max().orElse(0) / 1024.0);
            rec.str("cmds_processing", topCommands(stats0, stats1, n, ownStats + own));
            emit(rec);
        }
    }

    /** Succeeded jobs of the queues: their counters, not their succeeded indexes, which retention trims. */
    static long succeeded(Redis redis, List<String> queues) throws IOException {
        long sum = 0;
        for (String queue : queues) {
            sum += redis.counter("conveyor:{" + queue + "}:stats", "echo:succeeded");
        }
        return sum;
    }

    /**
     * The Redis commands of the window per job with Redis' time per call, most frequent first
     * ("evalsha=0.02/850us hset=1.00/1us ...").
     */
    static String topCommands(Map<String, long[]> before, Map<String, long[]> after, int n, long own) {
        Map<String, long[]> delta = new TreeMap<>();
        after.forEach((k, v) -> {
            long[] b = before.getOrDefault(k, new long[2]);
            if (v[0] - b[0] > 0) {
                delta.put(k, new long[] { v[0] - b[0], v[1] - b[1] });
            }
        });
        // our own polling (hget, info) is in there too: leave it visible but it is tiny
        StringBuilder b = new StringBuilder();
        delta.entrySet().stream().sorted((a, c) -> Long.compare(c.getValue()[0], a.getValue()[0])).limit(14)
                .forEach(e -> b.append(b.length() == 0 ? "" : " ").append(e.getKey()).append('=')
                        .append(String.format(Locale.ROOT, "%.2f/%.1fus", (double) e.getValue()[0] / n,
                                (double) e.getValue()[1] / e.getValue()[0])));
        return b.toString();
    }

    static final Pattern STRING_FIELD = Pattern.compile("\"(id|status|createdAt|startedAt)\":\"([^\"]*)\"");

    static Map<String, String> fields(String json) {
        Map<String, String> f = new HashMap<>();
        Matcher m = STRING_FIELD.matcher(json);
        while (m.find()) {
            f.putIfAbsent(m.group(1), m.group(2));
        }
        return f;
    }

    /** Fails fast when a process under test is gone (on a shared machine, something else may have ended it). */
    void alive(List<Integer> pids) {
        List<Integer> all = new ArrayList<>(pids);
        all.add(Integer.parseInt(opt("api-pid", "0")));
        all.addAll(pids(opt("redis-pid", "")));
        for (int pid : all) {
            if (pid > 0 && !Proc.alive(pid)) {
                throw new IllegalStateException("process " + pid + " under test has exited");
            }
        }
    }

    static List<Integer> pids(String csv) {
        List<Integer> pids = new ArrayList<>();
        for (String p : csv.split(",")) {
            if (!p.isBlank()) {
                pids.add(Integer.parseInt(p.trim()));
            }
        }
        return pids;
    }

    /**
     * Segments of a run someone else drives, cut at each FLUSHALL (the peer's driver flushes before each rep): Redis'
     * CPU and commands between one FLUSHALL and the next, per job. The INFO reads themselves are left out of the
     * command count; their CPU (tens of microseconds each) stays in, a fraction of a percent at 20 ms.
     */
    void redisSegments() throws Exception {
        List<String> labels = List.of(req("labels").split(","));
        int n = intOpt("n", 20000);
        int everyMs = intOpt("every-ms", 20);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(intOpt("timeout-s", 300));
        System.err.println("redis-segments: waiting for 127.0.0.1:" + req("redis-port"));
        Redis redis = null;
        while (redis == null) {
            try {
                redis = redis();
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Redis did not come up: " + e);
                }
                Thread.sleep(100);
            }
        }
        try (Redis r = redis) {
            // commandstats counts FLUSHALLs since Redis started: the k-th one (from 1) starts segment k-1, so a
            // segment is labelled right even when a poll comes late. A segment counts only when a poll saw the
            // FLUSHALL count before it and the poll right after it, so that it holds the whole rep.
            long flushes = -1;
            double cpu0 = 0;
            long sent0 = 0;
            Map<String, long[]> stats0 = null;
            while (flushes <= labels.size()) {
                Map<String, long[]> stats;
                double cpu;
                try {
                    cpu = r.cpuSeconds();
                    stats = r.commandStats();
                } catch (IOException e) {
                    break; // the driver stopped its Redis
                }
                long f = stats.getOrDefault("flushall", new long[2])[0];
                if (flushes < 0) {
                    flushes = f;
                } else if (f > flushes) {
                    if (stats0 != null && f == flushes + 1 && flushes >= 1) {
                        long cmds = 0;
                        for (var e : stats.entrySet()) {
                            cmds += e.getValue()[0] - stats0.getOrDefault(e.getKey(), new long[2])[0];
                        }
                        long own = r.sent - sent0;
                        int segment = (int) flushes - 1;
                        emit(new Rec("redis_segment").str("label", labels.get(segment)).num("segment", segment)
                                .num("n", n).num("redis_cpu_us_per_job", 1e6 * (cpu - cpu0) / n)
                                .num("redis_cmds_per_job", (double) (cmds - own - 1) / n)
                                .str("cmds", topCommands(stats0, stats, n, own)));
                    }
                    stats0 = f == flushes + 1 ? stats : null;
                    cpu0 = cpu;
                    sent0 = r.sent;
                    flushes = f;
                }
                Thread.sleep(everyMs);
            }
        }
    }

    void pickup() throws Exception {
        URI api = api();
        List<Integer> pids = pids(opt("pids", ""));
        int samples = intOpt("samples", 500);
        int warm = intOpt("warmup-samples", 50);
        int gapMs = intOpt("gap-ms", 5);
        String host = api.getHost();
        int port = api.getPort();
        String queue = opt("queue", "default");
        byte[] post = Http.post(host, port, "/jobs",
                queue.equals("default") ? ECHO : "{\"type\":\"echo\",\"queue\":\"" + queue + "\",\"payload\":{}}");
        try (Redis redis = redis(); Http http = new Http(host, port, 1)) {
            redis.flushAll();
            Conn c = http.conns.get(0);
            long[] lat = new long[samples];
            long finished = 0;
            String statsKey = "conveyor:{" + queue + "}:stats";
            Probe probe = new Probe(this, List.of());
            for (int i = -warm; i < samples; i++) {
                if (i == 0) {
                    probe.start();
                }
                Resp created = c.call(post, 10_000);
                if (created.status != 201) {
                    throw new IllegalStateException("POST /jobs: HTTP " + created.status + " " + created.text());
                }
                Map<String, String> job = fields(created.text());
                // wait for the job to finish by watching Redis (one cheap HGET per ms), so that the API is not
                // busy answering polls while the next job is enqueued; then read it once through the API
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (redis.counter(statsKey, "echo:succeeded") < finished + 1) {
                    alive(pids);
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("job " + job.get("id") + " not finished after 10 s");
                    }
                    Thread.sleep(1);
                }
                finished++;
                Resp r = c.call(Http.get(host, port, "/jobs/" + job.get("id")), 10_000);
                Map<String, String> now = fields(r.text());
                if (!"succeeded".equals(now.get("status"))) {
                    throw new IllegalStateException("job " + job.get("id") + " is " + now.get("status"));
                }
                if (i >= 0) {
                    lat[i] = Instant.parse(now.get("startedAt")).toEpochMilli()
                            - Instant.parse(now.get("createdAt")).toEpochMilli();
                }
                Thread.sleep(gapMs);
            }
            probe.stop();
            Arrays.sort(lat);
            double mean = Arrays.stream(lat).average().orElse(0);
            Rec rec = new Rec("pickup").num("rep", intOpt("rep", 1)).num("n", samples)
                    .num("p50_ms", pct(lat, 50)).num("p95_ms", pct(lat, 95)).num("p99_ms", pct(lat, 99))
                    .num("max_ms", lat[lat.length - 1]).num("mean_ms", mean);
            probe.into(rec, 0, 0);
            emit(rec);
        }
    }

    /** Same rank rule as the peer's driver. */
    static long pct(long[] sorted, double p) {
        int k = (int) Math.max(0, Math.min(sorted.length - 1, Math.round(p / 100 * sorted.length + 0.5) - 1));
        return sorted[k];
    }

    void emit(Rec rec) throws IOException {
        String line = rec.json();
        System.err.println("RESULT " + line);
        Files.writeString(Path.of(req("out")), line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    // ------------------------------------------------------------------------------------------------ records
    /** One flat JSON object, in insertion order. */
    static final class Rec {
        final Map<String, Object> fields = new LinkedHashMap<>();

        Rec(String test) {
            fields.put("test", test);
            fields.put("ts", Instant.now().toString().substring(0, 19));
        }

        Rec num(String k, double v) {
            fields.put(k, v);
            return this;
        }

        Rec str(String k, String v) {
            fields.put(k, v);
            return this;
        }

        String json() {
            StringBuilder b = new StringBuilder("{");
            fields.forEach((k, v) -> {
                b.append(b.length() > 1 ? "," : "").append('"').append(k).append("\":");
                if (v instanceof Double d) {
                    b.append(d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue())
                            : String.format(Locale.ROOT, "%.4f", d));
                } else {
                    b.append('"').append(v.toString().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
                }
            });
            return b.append('}').toString();
        }
    }

    /**
     * CPU of the measured processes over a window (utime + stime from /proc), their RSS peak (sampled every 100 ms),
     * and how busy the whole machine was (other sessions share the CPUs).
     */
    static final class Probe {
        final List<Integer> workers;
        final int apiPid;
        final List<Integer> redisPids;
        long[] cpu0;
        long api0, redis0;
        long[] machine0;
        long wall0;
        double load1;
        final long[] rssPeak;
        Thread sampler;
        volatile boolean sampling;

        Probe(LoadGen g, List<Integer> workers) {
            this.workers = workers;
            this.apiPid = Integer.parseInt(g.opt("api-pid", "0"));
            this.redisPids = pids(g.opt("redis-pid", ""));
            this.rssPeak = new long[workers.size()];
        }

        Map<String, Long> threads0 = Map.of();

        void start() {
            threads0 = Proc.threadTicks(workers);
            load1 = Proc.load1();
            cpu0 = workers.stream().mapToLong(Proc::cpuTicks).toArray();
            api0 = Proc.cpuTicks(apiPid);
            redis0 = redisPids.stream().mapToLong(Proc::cpuTicks).sum();
            machine0 = Proc.machine();
            wall0 = System.nanoTime();
            sampling = true;
            sampler = new Thread(() -> {
                while (sampling) {
                    sample();
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "rss-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }

        void sample() {
            for (int i = 0; i < workers.size(); i++) {
                rssPeak[i] = Math.max(rssPeak[i], Proc.rssKb(workers.get(i)));
            }
        }

        double cpuWorkers, cpuApi, cpuRedis, machineBusyPct, seconds;
        String threadsCpu = "";

        void stop() throws InterruptedException {
            sampling = false;
            sampler.join(1000);
            sample();
            seconds = (System.nanoTime() - wall0) / 1e9;
            for (int i = 0; i < workers.size(); i++) {
                cpuWorkers += (Proc.cpuTicks(workers.get(i)) - cpu0[i]) / 100.0;
            }
            threadsCpu = Proc.topThreads(threads0, Proc.threadTicks(workers));
            cpuApi = (Proc.cpuTicks(apiPid) - api0) / 100.0;
            cpuRedis = (redisPids.stream().mapToLong(Proc::cpuTicks).sum() - redis0) / 100.0;
            long[] m1 = Proc.machine();
            long total = m1[0] - machine0[0];
            long idle = m1[1] - machine0[1];
            machineBusyPct = total <= 0 ? 0 : 100.0 * (total - idle) / total;
        }

        void into(Rec rec, double window, int n) {
            if (!workers.isEmpty()) {
                rec.num("worker_cpu_s", cpuWorkers).num("worker_cpu_s_per_1k", cpuWorkers / n * 1000)
                        .num("worker_cpu_pct", 100 * cpuWorkers / seconds)
                        .num("worker_rss_peak_mib", Arrays.stream(rssPeak).max().orElse(0) / 1024.0)
                        .num("worker_rss_peak_sum_mib", Arrays.stream(rssPeak).sum() / 1024.0)
                        .str("worker_threads_cpu_s", threadsCpu);
            }
            if (apiPid > 0) {
                rec.num("api_cpu_pct", 100 * cpuApi / seconds);
                if (n > 0) {
                    rec.num("api_cpu_s_per_1k", cpuApi / n * 1000);
                }
            }
            if (!redisPids.isEmpty()) {
                rec.num("redis_cpu_pct", 100 * cpuRedis / seconds);
            }
            // 100 = both CPUs busy; what is not ours is other sessions' load
            rec.num("machine_busy_pct", machineBusyPct).num("load1", load1);
        }
    }

    static final class Proc {
        static long cpuTicks(int pid) {
            if (pid <= 0) {
                return 0;
            }
            try {
                String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime, in clock ticks (100/s)
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }

        /** CPU ticks per thread name (digits dropped, so that pools add up) over all the given processes. */
        static Map<String, Long> threadTicks(List<Integer> pids) {
            Map<String, Long> ticks = new HashMap<>();
            for (int pid : pids) {
                try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
                    for (Path task : (Iterable<Path>) tasks::iterator) {
                        try {
                            String s = Files.readString(task.resolve("stat"));
                            String comm = s.substring(s.indexOf('(') + 1, s.lastIndexOf(')')).replaceAll("[0-9]+", "#");
                            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
                            ticks.merge(comm, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
                        } catch (IOException | RuntimeException e) {
                            // thread gone
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // process gone
                }
            }
            return ticks;
        }

        /** "name=seconds ..." of the threads that used the most CPU between two snapshots. */
        static String topThreads(Map<String, Long> before, Map<String, Long> after) {
            StringBuilder b = new StringBuilder();
            after.entrySet().stream()
                    .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                    .filter(e -> e.getValue() > 0)
                    .sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).limit(8)
                    .forEach(e -> b.append(b.length() == 0 ? "" : " ").append(e.getKey().replace(' ', '_')).append('=')
                            .append(String.format(Locale.ROOT, "%.2f", e.getValue() / 100.0)));
            return b.toString();
        }

        /** Running (not gone, not a zombie). */
        static boolean alive(int pid) {
            try {
                String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
                return s.charAt(s.lastIndexOf(')') + 2) != 'Z';
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }

        static long rssKb(int pid) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // gone
            }
            return 0;
        }

        /** {total, idle+iowait} jiffies of all CPUs. */
        static long[] machine() {
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long total = 0;
                for (int i = 1; i < Math.min(f.length, 9); i++) {
                    total += Long.parseLong(f[i]);
                }
                return new long[] { total, Long.parseLong(f[4]) + Long.parseLong(f[5]) };
            } catch (IOException | RuntimeException e) {
                return new long[] { 0, 0 };
            }
        }

        static double load1() {
            try {
                return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ Redis
    /**
     * The harness' own Redis reads, over the Vert.x Redis client the app uses; counts what it sends. On a cluster,
     * keyed commands go through a cluster client (it routes by slot) and the counters are read from every primary.
     */
    static final class Redis implements Closeable {
        static final long TIMEOUT_S = 30;
        static final Pattern CPU = Pattern.compile("used_cpu_(?:sys|user):([0-9.]+)");
        static final Pattern COMMAND = Pattern.compile("cmdstat_([a-z|_-]+):calls=(\\d+),usec=(\\d+)");
        final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        final List<RedisConnection> nodes = new ArrayList<>();
        final RedisConnection keyed;
        long sent;

        Redis(String host, int port) throws IOException {
            this(List.of(host + ":" + port), false);
        }

        /** nodes: host:port of one Redis, or of every primary of a cluster. */
        Redis(List<String> hostPorts, boolean cluster) throws IOException {
            for (String node : hostPorts) {
                nodes.add(connect(new RedisOptions().setConnectionString("redis://" + node.trim())));
            }
            if (cluster) {
                RedisOptions options = new RedisOptions().setType(RedisClientType.CLUSTER);
                hostPorts.forEach(node -> options.addConnectionString("redis://" + node.trim()));
                keyed = connect(options);
            } else {
                keyed = nodes.get(0);
            }
        }

        RedisConnection connect(RedisOptions options) throws IOException {
            // no HELLO: Redis then runs exactly the commands counted in `sent`
            options.setProtocolNegotiation(false).setNetClientOptions(new NetClientOptions().setConnectTimeout(5000));
            return await(io.vertx.redis.client.Redis.createClient(vertx, options).connect());
        }

        /** A command on its key's node (on one Redis: that Redis). */
        Response cmd(String... args) throws IOException {
            return send(keyed, args);
        }

        Response send(RedisConnection connection, String... args) throws IOException {
            sent++;
            Request request = Request.cmd(Command.create(args[0]));
            for (int i = 1; i < args.length; i++) {
                request.arg(args[i]);
            }
            return await(connection.send(request));
        }

        /** The answer of every node, in the order of the nodes. */
        List<String> eachNode(String... args) throws IOException {
            List<String> answers = new ArrayList<>();
            for (RedisConnection node : nodes) {
                answers.add(send(node, args).toString());
            }
            return answers;
        }

        static <T> T await(Future<T> future) throws IOException {
            try {
                return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_S, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new IOException("Redis: " + e.getCause().getMessage(), e.getCause());
            } catch (TimeoutException e) {
                throw new IOException("Redis did not answer within " + TIMEOUT_S + " s");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for Redis", e);
            }
        }

        void flushAll() throws IOException {
            eachNode("FLUSHALL");
        }

        long totalCommands() throws IOException {
            long sum = 0;
            for (String info : eachNode("INFO", "stats")) {
                Matcher m = Pattern.compile("total_commands_processed:(\\d+)").matcher(info);
                if (!m.find()) {
                    throw new IOException("no total_commands_processed in INFO stats");
                }
                sum += Long.parseLong(m.group(1));
            }
            return sum;
        }

        /** The CPU seconds each node has used (INFO cpu: used_cpu_sys + used_cpu_user of the server). */
        double[] cpuSecondsPerNode() throws IOException {
            List<String> infos = eachNode("INFO", "cpu");
            double[] cpu = new double[infos.size()];
            for (int i = 0; i < cpu.length; i++) {
                Matcher m = CPU.matcher(infos.get(i));
                while (m.find()) {
                    cpu[i] += Double.parseDouble(m.group(1));
                }
            }
            return cpu;
        }

        double cpuSeconds() throws IOException {
            return Arrays.stream(cpuSecondsPerNode()).sum();
        }

        /** Calls and microseconds of each command, added up over the nodes. */
        Map<String, long[]> commandStats() throws IOException {
            Map<String, long[]> stats = new HashMap<>();
            for (String info : eachNode("INFO", "commandstats")) {
                Matcher m = COMMAND.matcher(info);
                while (m.find()) {
                    long[] v = stats.computeIfAbsent(m.group(1), k -> new long[2]);
                    v[0] += Long.parseLong(m.group(2));
                    v[1] += Long.parseLong(m.group(3));
                }
            }
            return stats;
        }

        long zcard(String key) throws IOException {
            return cmd("ZCARD", key).toLong();
        }

        /** A counter field of a hash, 0 while it is missing. */
        long counter(String key, String field) throws IOException {
            Response value = cmd("HGET", key, field);
            return value == null ? 0 : value.toLong();
        }

        @Override
        public void close() throws IOException {
            try {
                for (RedisConnection node : nodes) {
                    await(node.close());
                }
                if (!nodes.contains(keyed)) {
                    await(keyed.close());
                }
            } finally {
                await(vertx.close());
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ HTTP (NIO)
    static final class Resp {
        final int status;
        final byte[] body;

        Resp(int status, byte[] body) {
            this.status = status;
            this.body = body;
        }

        String text() {
            return body == null ? "" : new String(body, StandardCharsets.UTF_8);
        }
    }

    /** N keep-alive connections to one host, served by one selector thread. */
    static final class Http implements Closeable {
        final Loop loop;
        final List<Conn> conns = new ArrayList<>();

        Http(String host, int port, int connections) throws IOException {
            loop = new Loop();
            try {
                for (int i = 0; i < connections; i++) {
                    SocketChannel ch = SocketChannel.open();
                    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    ch.socket().connect(new InetSocketAddress(host, port), 5000);
                    ch.configureBlocking(false);
                    Conn c = new Conn(loop, ch);
                    conns.add(c);
                }
            } catch (IOException e) {
                close();
                throw e;
            }
            CompletableFuture<Void> registered = new CompletableFuture<>();
            loop.execute(() -> {
                try {
                    for (Conn c : conns) {
                        c.key = c.ch.register(loop.selector, SelectionKey.OP_READ, c);
                    }
                    registered.complete(null);
                } catch (IOException e) {
                    registered.completeExceptionally(e);
                }
            });
            try {
                registered.get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                close();
                throw new IOException("registering connections: " + e, e);
            }
        }

        /** The API key of the run (BENCH_API_KEY, from run.sh and soak.sh): a header line in every request. */
        static final String AUTHORIZATION = System.getenv("BENCH_API_KEY") == null ? ""
                : "Authorization: Bearer " + System.getenv("BENCH_API_KEY") + "\r\n";

        static byte[] get(String host, int port, String path) {
            return request("GET", host, port, path);
        }

        static byte[] request(String method, String host, int port, String path) {
            return (method + " " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n" + AUTHORIZATION
                    + "Accept: application/json\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        }

        static byte[] post(String host, int port, String path, String json) {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n" + AUTHORIZATION
                    + "Accept: application/json\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                    + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
            byte[] all = Arrays.copyOf(head, head.length + body.length);
            System.arraycopy(body, 0, all, head.length, body.length);
            return all;
        }

        @Override
        public void close() {
            loop.running = false;
            loop.selector.wakeup();
            try {
                loop.thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (Conn c : conns) {
                try {
                    c.ch.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
            try {
                loop.selector.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    static final class Loop implements Runnable {
        final Selector selector;
        final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        final Thread thread;
        volatile boolean running = true;

        Loop() throws IOException {
            selector = Selector.open();
            thread = new Thread(this, "http-loop");
            thread.setDaemon(true);
            thread.start();
        }

        void execute(Runnable task) {
            tasks.add(task);
            selector.wakeup();
        }

        @Override
        public void run() {
            while (running) {
                try {
                    selector.select(100);
                } catch (IOException e) {
                    return;
                }
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    Conn c = (Conn) k.attachment();
                    try {
                        if (k.isValid() && k.isWritable()) {
                            c.flush();
                        }
                        if (k.isValid() && k.isReadable()) {
                            c.read();
                        }
                    } catch (IOException | RuntimeException e) {
                        c.fail(e);
                    }
                }
            }
        }
    }

    /** One keep-alive HTTP/1.1 connection with one request in flight; all its methods run on the loop thread. */
    static final class Conn {
        static final int HEAD = 0, BODY = 1, CHUNK_SIZE = 2, CHUNK_DATA = 3, TRAILER = 4, IDLE = 5;
        final Loop loop;
        final SocketChannel ch;
        SelectionKey key;
        final ByteBuffer in = ByteBuffer.allocateDirect(1 << 16);
        byte[] acc = new byte[1 << 16];
        int start, end, scan;
        ByteBuffer out;
        int state = IDLE;
        int status;
        long remaining;
        boolean keepBody;
        ByteArrayOutputStream body;
        Consumer<Resp> onResponse;
        Consumer<Throwable> onFailure;

        Conn(Loop loop, SocketChannel ch) {
            this.loop = loop;
            this.ch = ch;
        }

        /** Blocking convenience: send from any thread, wait for the answer (bounded). */
        Resp call(byte[] request, long timeoutMs) throws Exception {
            CompletableFuture<Resp> f = new CompletableFuture<>();
            loop.execute(() -> send(request, true, f::complete, f::completeExceptionally));
            try {
                return f.get(timeoutMs, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("no HTTP answer within " + timeoutMs + " ms", e);
            }
        }

        void send(byte[] request, boolean keep, Consumer<Resp> onResponse, Consumer<Throwable> onFailure) {
            if (state != IDLE) {
                onFailure.accept(new IllegalStateException("connection busy"));
                return;
            }
            this.keepBody = keep;
            this.onResponse = onResponse;
            this.onFailure = onFailure;
            this.body = keep ? new ByteArrayOutputStream() : null;
            state = HEAD;
            out = ByteBuffer.wrap(request);
            try {
                flush();
            } catch (IOException e) {
                fail(e);
            }
        }

        void flush() throws IOException {
            ch.write(out);
            key.interestOps(out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }

        void fail(Throwable e) {
            Consumer<Throwable> f = onFailure;
            state = IDLE;
            onFailure = null;
            onResponse = null;
            try {
                ch.close();
            } catch (IOException ignored) {
                // failing anyway
            }
            if (f != null) {
                f.accept(e);
            }
        }

        void read() throws IOException {
            int r = ch.read(in);
            if (r < 0) {
                throw new IOException("server closed the connection");
            }
            in.flip();
            int len = in.remaining();
            if (end + len > acc.length) {
                if (end - start + len > acc.length) {
                    acc = Arrays.copyOfRange(acc, start, start + Math.max(acc.length * 2, end - start + len));
                } else {
                    System.arraycopy(acc, start, acc, 0, end - start);
                }
                scan -= start;
                end -= start;
                start = 0;
            }
            in.get(acc, end, len);
            end += len;
            in.clear();
            parse();
        }

        /** Index of the next CRLF at or after from, or -1. */
        int crlf(int from) {
            for (int i = Math.max(from, start); i + 1 < end; i++) {
                if (acc[i] == '\r' && acc[i + 1] == '\n') {
                    return i;
                }
            }
            return -1;
        }

        void parse() throws IOException {
            while (true) {
                switch (state) {
                    case HEAD -> {
                        int i = Math.max(scan, start);
                        int found = -1;
                        for (; i + 3 < end; i++) {
                            if (acc[i] == '\r' && acc[i + 1] == '\n' && acc[i + 2] == '\r' && acc[i + 3] == '\n') {
                                found = i;
                                break;
                            }
                        }
                        if (found < 0) {
                            scan = Math.max(start, end - 3);
                            return;
                        }
                        String head = new String(acc, start, found - start, StandardCharsets.ISO_8859_1);
                        start = found + 4;
                        scan = start;
                        String[] lines = head.split("\r\n");
                        status = Integer.parseInt(lines[0].split(" ")[1]);
                        long length = -1;
                        boolean chunked = false;
                        for (int l = 1; l < lines.length; l++) {
                            String h = lines[l].toLowerCase(Locale.ROOT);
                            if (h.startsWith("content-length:")) {
                                length = Long.parseLong(h.substring(15).trim());
                            } else if (h.startsWith("transfer-encoding:") && h.contains("chunked")) {
                                chunked = true;
                            }
                        }
                        if (chunked) {
                            state = CHUNK_SIZE;
                        } else if (length > 0) {
                            remaining = length;
                            state = BODY;
                        } else {
                            complete();
                            return;
                        }
                    }
                    case BODY -> {
                        int take = (int) Math.min(remaining, end - start);
                        if (keepBody) {
                            body.write(acc, start, take);
                        }
                        start += take;
                        remaining -= take;
                        if (remaining > 0) {
                            return;
                        }
                        complete();
                        return;
                    }
                    case CHUNK_SIZE -> {
                        int eol = crlf(start);
                        if (eol < 0) {
                            return;
                        }
                        String size = new String(acc, start, eol - start, StandardCharsets.ISO_8859_1);
                        int semi = size.indexOf(';');
                        remaining = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
                        start = eol + 2;
                        state = remaining == 0 ? TRAILER : CHUNK_DATA;
                    }
                    case CHUNK_DATA -> {
                        if (remaining > 0) {
                            int take = (int) Math.min(remaining, end - start);
                            if (keepBody) {
                                body.write(acc, start, take);
                            }
                            start += take;
                            remaining -= take;
                            if (remaining > 0) {
                                return;
                            }
                        }
                        if (end - start < 2) {
                            return;
                        }
                        start += 2; // CRLF after the chunk
                        state = CHUNK_SIZE;
                    }
                    case TRAILER -> {
                        int eol = crlf(start);
                        if (eol < 0) {
                            return;
                        }
                        boolean empty = eol == start;
                        start = eol + 2;
                        if (empty) {
                            complete();
                            return;
                        }
                    }
                    default -> {
                        if (end > start) {
                            throw new IOException("unexpected bytes from the server while idle");
                        }
                        return;
                    }
                }
            }
        }

        void complete() {
            state = IDLE;
            if (start == end) {
                start = end = scan = 0;
            }
            Consumer<Resp> cb = onResponse;
            onResponse = null;
            onFailure = null;
            cb.accept(new Resp(status, keepBody ? body.toByteArray() : null));
        }
    }

    // ------------------------------------------------------------------------------------------------ summary
    static final class Summary {
        /** key in latest.json, test, field, label, unit. */
        record Row(String key, String test, String field, String label, String format) {
        }

        static final List<Row> ROWS = List.of(
                new Row("e2e_jobs_per_s", "e2e_1w", "jobs_per_s", "e2e, 1 worker (c=50), fresh JVM (as the peer), jobs/s", "%.0f"),
                new Row("e2e_warm_jobs_per_s", "e2e_1w_warm", "jobs_per_s", "e2e, 1 worker, warm (after WARMUP_JOBS), jobs/s", "%.0f"),
                new Row("e2e_2w_jobs_per_s", "e2e_2w", "jobs_per_s", "e2e, 2 workers (c=50 each), fresh JVMs, jobs/s", "%.0f"),
                new Row("e2e_2w_warm_jobs_per_s", "e2e_2w_warm", "jobs_per_s", "e2e, 2 workers, warm, jobs/s", "%.0f"),
                new Row("redis_cmds_per_job", "e2e_1w", "redis_cmds_per_job", "Redis commands per job, whole life", "%.2f"),
                new Row("redis_cmds_per_job_enqueue", "e2e_1w", "redis_cmds_per_job_enqueue", "  of which enqueue (batch of 1000)", "%.2f"),
                new Row("redis_cmds_per_job_processing", "e2e_1w", "redis_cmds_per_job_processing", "  of which claim + complete", "%.2f"),
                new Row("redis_cpu_us_per_job", "e2e_1w", "redis_cpu_us_per_job", "Redis CPU us per job, whole life (INFO cpu)", "%.1f"),
                new Row("redis_cpu_us_per_job_enqueue", "e2e_1w", "redis_cpu_us_per_job_enqueue", "  of which enqueue (batch of 1000)", "%.1f"),
                new Row("redis_cpu_us_per_job_processing", "e2e_1w", "redis_cpu_us_per_job_processing", "  of which claim + complete", "%.1f"),
                new Row("redis_cpu_us_per_job_warm", "e2e_1w_warm", "redis_cpu_us_per_job", "Redis CPU us per job, warm worker", "%.1f"),
                new Row("worker_cpu_s_per_1k", "e2e_1w", "worker_cpu_s_per_1k", "worker CPU s per 1000 jobs (1 worker)", "%.3f"),
                new Row("worker_cpu_s_per_1k_warm", "e2e_1w_warm", "worker_cpu_s_per_1k", "worker CPU s per 1000 jobs (1 worker, warm)", "%.3f"),
                new Row("worker_rss_idle_mib", "e2e_1w", "worker_rss_idle_mib", "worker RSS idle, MiB", "%.0f"),
                new Row("worker_rss_peak_mib", "e2e_1w", "worker_rss_peak_mib", "worker RSS peak under load, MiB", "%.0f"),
                new Row("worker_rss_peak_warm_mib", "e2e_1w_warm", "worker_rss_peak_mib", "worker RSS peak, warm run, MiB", "%.0f"),
                new Row("e2e_redis_cpu_pct", "e2e_1w", "redis_cpu_pct", "redis-server CPU % during e2e (1 worker)", "%.0f"),
                new Row("e2e_machine_busy_pct", "e2e_1w", "machine_busy_pct", "machine busy % during e2e (both CPUs = 100)", "%.0f"),
                new Row("enqueue_batch_jobs_per_s", "enqueue_batch", "jobs_per_s", "POST /jobs/batch x1000, one client, jobs/s", "%.0f"),
                new Row("enqueue_batch_redis_cmds_per_job", "enqueue_batch", "redis_cmds_per_job", "  Redis commands per job", "%.2f"),
                new Row("enqueue_batch_api_cpu_s_per_1k", "enqueue_batch", "api_cpu_s_per_1k", "  API CPU s per 1000 jobs", "%.3f"),
                new Row("enqueue_single_jobs_per_s", "enqueue_single", "jobs_per_s", "POST /jobs, 64 connections, jobs/s", "%.0f"),
                new Row("enqueue_single_req_p99_ms", "enqueue_single", "req_p99_ms", "  request p99, ms", "%.1f"),
                new Row("enqueue_single_redis_cmds_per_job", "enqueue_single", "redis_cmds_per_job", "  Redis commands per job", "%.2f"),
                new Row("enqueue_single_api_cpu_s_per_1k", "enqueue_single", "api_cpu_s_per_1k", "  API CPU s per 1000 jobs", "%.3f"),
                new Row("pickup_p50_ms", "pickup", "p50_ms", "pickup latency p50, ms (startedAt - createdAt)", "%.1f"),
                new Row("pickup_p99_ms", "pickup", "p99_ms", "pickup latency p99, ms", "%.1f"),
                new Row("pickup_mean_ms", "pickup", "mean_ms", "pickup latency mean, ms", "%.2f"));

        static final Pattern FIELD = Pattern.compile("\"([A-Za-z0-9_]+)\":(\"((?:[^\"\\\\]|\\\\.)*)\"|[-0-9.eE+]+)");

        static Map<String, String> parse(String line) {
            Map<String, String> m = new LinkedHashMap<>();
            Matcher x = FIELD.matcher(line);
            while (x.find()) {
                m.put(x.group(1), x.group(3) != null ? x.group(3) : x.group(2));
            }
            return m;
        }

        static double median(List<Double> v) {
            List<Double> s = new ArrayList<>(v);
            s.sort(Double::compare);
            int k = s.size();
            return k % 2 == 1 ? s.get(k / 2) : (s.get(k / 2 - 1) + s.get(k / 2)) / 2;
        }

        static List<Map<String, String>> records(String file) throws IOException {
            List<Map<String, String>> recs = new ArrayList<>();
            if (Files.exists(Path.of(file))) {
                for (String line : Files.readAllLines(Path.of(file))) {
                    if (!line.isBlank()) {
                        recs.add(parse(line));
                    }
                }
            }
            return recs;
        }

        /** "median (min..max)" of one field over the records that have key = value. */
        static String spread(List<Map<String, String>> recs, String key, String value, String field, String fmt) {
            List<Double> v = new ArrayList<>();
            for (Map<String, String> r : recs) {
                if (value.equals(r.get(key)) && r.containsKey(field)) {
                    v.add(Double.parseDouble(r.get(field)));
                }
            }
            if (v.isEmpty()) {
                return "-";
            }
            double min = v.stream().mapToDouble(d -> d).min().orElse(0);
            double max = v.stream().mapToDouble(d -> d).max().orElse(0);
            return String.format(Locale.ROOT, fmt + " (" + fmt + ".." + fmt + ")", median(v), min, max);
        }

        /** bench/capacity.sh's table: Redis CPU and commands per job over a job's whole life. */
        static void capacity(LoadGen g) throws IOException {
            List<Map<String, String>> conveyor = records(g.req("conveyor"));
            List<Map<String, String>> bullmq = records(g.req("bullmq"));
            List<Map<String, String>> segments = records(g.req("segments"));
            String f = "%-44s %-26s %-22s %-22s %-22s%n";
            System.out.printf(Locale.ROOT, f, "run (median (min..max) of the reps)", "Redis CPU us/job, life",
                    "Redis cmds/job, life", "e2e jobs/s", "Redis CPU % in e2e");
            for (String test : List.of("e2e_1w", "e2e_1w_warm", "e2e_2w", "e2e_2w_warm")) {
                if (conveyor.stream().noneMatch(r -> test.equals(r.get("test")))) {
                    continue;
                }
                System.out.printf(Locale.ROOT, f, "Conveyor " + test,
                        spread(conveyor, "test", test, "redis_cpu_us_per_job", "%.1f"),
                        spread(conveyor, "test", test, "redis_cmds_per_job", "%.2f"),
                        spread(conveyor, "test", test, "jobs_per_s", "%.0f"),
                        spread(conveyor, "test", test, "redis_cpu_pct", "%.0f"));
                System.out.printf(Locale.ROOT, f, "  enqueue (batch of 1000) / claim + complete",
                        spread(conveyor, "test", test, "redis_cpu_us_per_job_enqueue", "%.1f"),
                        spread(conveyor, "test", test, "redis_cmds_per_job_enqueue", "%.2f"), "", "");
                System.out.printf(Locale.ROOT, f, "",
                        spread(conveyor, "test", test, "redis_cpu_us_per_job_processing", "%.1f"),
                        spread(conveyor, "test", test, "redis_cmds_per_job_processing", "%.2f"), "", "");
            }
            List<String> configs = new ArrayList<>();
            segments.forEach(r -> {
                if (!configs.contains(r.get("label"))) {
                    configs.add(r.get("label"));
                }
            });
            for (String config : configs) {
                System.out.printf(Locale.ROOT, f, "BullMQ e2e " + config,
                        spread(segments, "label", config, "redis_cpu_us_per_job", "%.1f"),
                        spread(segments, "label", config, "redis_cmds_per_job", "%.2f"),
                        spread(bullmq, "config", config, "jobs_per_s", "%.0f"),
                        spread(bullmq, "config", config, "redis_cpu_pct", "%.0f"));
            }
            System.out.println("Redis CPU: INFO cpu used_cpu_sys + used_cpu_user; Conveyor around its enqueue and its"
                    + " processing, BullMQ from one FLUSHALL to the next (enqueue, worker start, processing, worker stop).");
            System.out.println("Commands of the first rep, per job (calls/usec per call):");
            conveyor.stream().filter(r -> "e2e_1w".equals(r.get("test"))).findFirst()
                    .ifPresent(r -> System.out.println("  Conveyor processing: " + r.get("cmds_processing")));
            for (String config : configs) {
                segments.stream().filter(r -> config.equals(r.get("label"))).findFirst()
                        .ifPresent(r -> System.out.println("  BullMQ " + config + ": " + r.get("cmds")));
            }
        }

        static void run(LoadGen g) throws IOException {
            List<Map<String, String>> recs = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of(g.req("raw")))) {
                if (!line.isBlank()) {
                    recs.add(parse(line));
                }
            }
            StringBuilder table = new StringBuilder();
            Map<String, Double> medians = new LinkedHashMap<>();
            Map<String, double[]> spread = new LinkedHashMap<>();
            table.append(String.format(Locale.ROOT, "%-52s %12s   %-23s %s%n", "figure", "median", "spread (min..max)", "runs"));
            for (Row row : ROWS) {
                List<Double> v = new ArrayList<>();
                for (Map<String, String> r : recs) {
                    if (row.test.equals(r.get("test")) && r.containsKey(row.field)) {
                        v.add(Double.parseDouble(r.get(row.field)));
                    }
                }
                if (v.isEmpty()) {
                    continue;
                }
                double med = median(v);
                double min = v.stream().mapToDouble(d -> d).min().orElse(0);
                double max = v.stream().mapToDouble(d -> d).max().orElse(0);
                medians.put(row.key, med);
                spread.put(row.key, new double[] { min, max });
                table.append(String.format(Locale.ROOT, "%-52s %12s   %-23s %d%n", row.label,
                        String.format(Locale.ROOT, row.format, med),
                        String.format(Locale.ROOT, row.format, min) + ".." + String.format(Locale.ROOT, row.format, max),
                        v.size()));
            }
            if (medians.containsKey("e2e_jobs_per_s") && medians.containsKey("e2e_2w_jobs_per_s")) {
                double ratio = medians.get("e2e_2w_jobs_per_s") / medians.get("e2e_jobs_per_s");
                medians.put("e2e_2w_over_1w", ratio);
                table.append(String.format(Locale.ROOT, "%-52s %12.2f%n", "scaling: 2 workers / 1 worker (medians)", ratio));
            }
            if (medians.containsKey("e2e_warm_jobs_per_s") && medians.containsKey("e2e_2w_warm_jobs_per_s")) {
                double ratio = medians.get("e2e_2w_warm_jobs_per_s") / medians.get("e2e_warm_jobs_per_s");
                medians.put("e2e_2w_over_1w_warm", ratio);
                table.append(String.format(Locale.ROOT, "%-52s %12.2f%n", "scaling, warm: 2 workers / 1 worker", ratio));
            }
            List<String> breakdown = new ArrayList<>();
            for (Map<String, String> r : recs) {
                if ("e2e_1w".equals(r.get("test")) && r.containsKey("cmds_processing")) {
                    breakdown.add(r.get("cmds_processing"));
                }
            }
            if (!breakdown.isEmpty()) {
                table.append("Redis commands per job while processing (1 worker, first run): ").append(breakdown.get(0))
                        .append('\n');
            }
            System.out.print(table);

            StringBuilder json = new StringBuilder("{\n");
            medians.forEach((k, v) -> json.append(String.format(Locale.ROOT, "  \"%s\": %s,%n", k, num(v))));
            json.append("  \"spread\": {");
            boolean first = true;
            for (var e : spread.entrySet()) {
                json.append(first ? "\n" : ",\n").append(String.format(Locale.ROOT, "    \"%s\": [%s, %s]", e.getKey(),
                        num(e.getValue()[0]), num(e.getValue()[1])));
                first = false;
            }
            json.append("\n  },\n  \"meta\": {");
            first = true;
            for (String kv : g.opt("meta", "").split(";")) {
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                json.append(first ? "\n" : ",\n").append(String.format(Locale.ROOT, "    \"%s\": \"%s\"",
                        kv.substring(0, eq).trim(), kv.substring(eq + 1).trim().replace("\"", "'")));
                first = false;
            }
            json.append("\n  }\n}\n");
            Files.writeString(Path.of(g.req("json")), json.toString());
        }

        /** Median of one field over the peer's records of one test and config. */
        static double peer(List<Map<String, String>> rows, String test, String config, String field) {
            List<Double> v = new ArrayList<>();
            for (Map<String, String> r : rows) {
                if (test.equals(r.get("test")) && config.equals(r.get("config")) && r.containsKey(field)) {
                    v.add(Double.parseDouble(r.get(field)));
                }
            }
            return v.isEmpty() ? Double.NaN : median(v);
        }

        static void compare(LoadGen g) throws IOException {
            Map<String, Double> c = new HashMap<>();
            Matcher m = Pattern.compile("^  \"([a-z0-9_]+)\": ([-0-9.eE]+),?$", Pattern.MULTILINE)
                    .matcher(Files.readString(Path.of(g.req("json"))));
            while (m.find()) {
                c.put(m.group(1), Double.parseDouble(m.group(2)));
            }
            List<Map<String, String>> p = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of(g.req("peer")))) {
                if (!line.isBlank()) {
                    p.add(parse(line));
                }
            }
            double e2e = peer(p, "e2e", "concurrency=50", "jobs_per_s");
            double bulk = peer(p, "enqueue", "bulk_addBulk_x1000", "jobs_per_s");
            double single = peer(p, "enqueue", "single_await_add", "jobs_per_s");
            double life = peer(p, "enqueue", "bulk_addBulk_x1000", "redis_cmds_per_job")
                    + peer(p, "e2e", "concurrency=50", "redis_cmds_per_job");
            double cpu = peer(p, "e2e", "concurrency=50", "worker_cpu_s_per_1k");
            double rss = peer(p, "e2e", "concurrency=50", "rss_peak_kb") / 1024;
            double p50 = peer(p, "latency", "concurrency=50", "p50_ms");
            double p99 = peer(p, "latency", "concurrency=50", "p99_ms");
            String f = "%-46s %12s %12s %8s   %-22s %s%n";
            System.out.printf(Locale.ROOT, f, "figure", "Conveyor", "BullMQ", "ratio", "target", "met");
            row(f, "e2e jobs/s, 1 worker, fresh process", c.get("e2e_jobs_per_s"), e2e, "%.0f", ">= 2x BullMQ",
                    ratio(c.get("e2e_jobs_per_s"), e2e) >= 2);
            row(f, "e2e jobs/s, 1 worker, warm JIT", c.get("e2e_warm_jobs_per_s"), e2e, "%.0f", "(>= 2x BullMQ)",
                    ratio(c.get("e2e_warm_jobs_per_s"), e2e) >= 2);
            row(f, "Redis commands per job, enqueue to done", c.get("redis_cmds_per_job"), life, "%.1f", "<= 6",
                    c.getOrDefault("redis_cmds_per_job", 99.0) <= 6);
            row(f, "enqueue jobs/s, batch of 1000 vs addBulk", c.get("enqueue_batch_jobs_per_s"), bulk, "%.0f",
                    ">= 2x BullMQ", ratio(c.get("enqueue_batch_jobs_per_s"), bulk) >= 2);
            row(f, "enqueue jobs/s, single (64 conns / 1 awaited)", c.get("enqueue_single_jobs_per_s"), single, "%.0f",
                    ">= 15000/s", c.getOrDefault("enqueue_single_jobs_per_s", 0.0) >= 15000);
            row(f, "pickup p50 ms", c.get("pickup_p50_ms"), p50, "%.2f", "<= 1 ms", c.getOrDefault("pickup_p50_ms", 99.0) <= 1);
            row(f, "pickup p99 ms", c.get("pickup_p99_ms"), p99, "%.2f", "<= 5 ms", c.getOrDefault("pickup_p99_ms", 99.0) <= 5);
            row(f, "worker CPU s per 1000 jobs, fresh", c.get("worker_cpu_s_per_1k"), cpu, "%.3f", "< BullMQ",
                    ratio(c.get("worker_cpu_s_per_1k"), cpu) < 1);
            row(f, "worker CPU s per 1000 jobs, warm", c.get("worker_cpu_s_per_1k_warm"), cpu, "%.3f", "(< BullMQ)",
                    ratio(c.get("worker_cpu_s_per_1k_warm"), cpu) < 1);
            row(f, "worker RSS peak MiB", c.get("worker_rss_peak_mib"), rss, "%.0f", "<= 160 MiB",
                    c.getOrDefault("worker_rss_peak_mib", 999.0) <= 160);
            row(f, "2 workers / 1 worker, fresh", c.get("e2e_2w_over_1w"), Double.NaN, "%.2f", "> 1.6",
                    c.getOrDefault("e2e_2w_over_1w", 0.0) > 1.6);
            row(f, "2 workers / 1 worker, warm", c.get("e2e_2w_over_1w_warm"), Double.NaN, "%.2f", "(> 1.6)",
                    c.getOrDefault("e2e_2w_over_1w_warm", 0.0) > 1.6);
        }

        static double ratio(Double a, double b) {
            return a == null || Double.isNaN(b) || b == 0 ? Double.NaN : a / b;
        }

        static void row(String f, String label, Double mine, double theirs, String fmt, String target, boolean met) {
            System.out.printf(Locale.ROOT, f, label, mine == null ? "-" : String.format(Locale.ROOT, fmt, mine),
                    Double.isNaN(theirs) ? "-" : String.format(Locale.ROOT, fmt, theirs),
                    Double.isNaN(ratio(mine, theirs)) ? "" : String.format(Locale.ROOT, "%.2fx", ratio(mine, theirs)),
                    target, mine == null ? "?" : met ? "yes" : "no");
        }

        static String num(double v) {
            return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4f", v);
        }
    }
}
