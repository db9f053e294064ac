// Conveyor soak driver: the client side of bench/soak.sh. Compiled together with bench/LoadGen.java, whose HTTP
// client (LoadGen.Http), Redis client (LoadGen.Redis) and /proc readers (LoadGen.Proc) it uses.
//
// Commands (common options: --api http://127.0.0.1:PORT --redis-port P --app-pid PID):
//   sizing [--n 10000] [--batch 500]
//       Redis memory per job, measured: FLUSHALL, pause the queue, read used_memory, enqueue n jobs, read it again
//       (bytes per waiting job); resume, wait until all succeeded and one reaper round more, read it again (bytes
//       per finished job kept, divided by the succeeded jobs Redis still holds).
//   soak --duration-s 600 [--interval-s 60] [--clients 2] [--batch 500] [--backlog 20000] [--drain-s 180]
//        [--metrics http://127.0.0.1:MGMT/q/metrics]
//       FLUSHALL, then `clients` threads each POST /jobs/batch of `batch` jobs one after the other for duration-s,
//       holding off while more than `backlog` jobs wait: the enqueue rate follows the rate the process finishes
//       jobs at, the highest the machine sustains, and the waiting jobs stay bounded. Prints a line every
//       interval-s, then waits for every accepted job to finish and prints one verdict line per promise. Exits 1
//       when a verdict fails.
//
// Jobs are `echo` jobs with the payload of the memory issue, {"orderId": 12345, "email": "someone@example.com"}.

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.redis.client.Response;

public class Soak {

    static final String JOB = "{\"type\":\"echo\",\"payload\":{\"orderId\": 12345, \"email\": \"someone@example.com\"}}";
    static final String QUEUE = "default";
    static final String STATS = "conveyor:{" + QUEUE + "}:stats";
    static final String READY = "conveyor:{" + QUEUE + "}:ready";
    static final String SUCCEEDED = "conveyor:{" + QUEUE + "}:succeeded";
    static final double MIB = 1024 * 1024;
    /** Memory must stay below this share of the budget: clear of the 0.9 at which the API starts refusing jobs. */
    static final double PEAK_SHARE = 0.8;
    /** A level is "flat" when the last third's peak is at most this much above the middle third's... */
    static final double GROWTH = 0.05;
    /** ...plus this many bytes, for the noise of small figures. */
    static final long MEMORY_SLACK = 2L << 20;
    static final long RSS_SLACK = 8L << 20;
    /** The last interval's throughput must be at least this share of the first's. */
    static final double THROUGHPUT_SHARE = 0.9;

    /** The options, read with LoadGen's helpers. */
    final LoadGen opts = new LoadGen();

    public static void main(String[] args) throws Exception {
        Soak soak = new Soak();
        for (int i = 1; i + 1 < args.length; i += 2) {
            soak.opts.opts.put(args[i].substring(2), args[i + 1]);
        }
        boolean passed = true;
        try {
            switch (args.length == 0 ? "" : args[0]) {
                case "sizing" -> soak.sizing();
                case "soak" -> passed = soak.soak();
                default -> throw new IllegalArgumentException("usage: Soak <sizing|soak> [--option value ...]");
            }
        } catch (Exception e) {
            System.err.println("Soak failed: " + e);
            e.printStackTrace();
            System.exit(2);
        }
        System.exit(passed ? 0 : 1);
    }

    // ------------------------------------------------------------------------------------------------ sizing
    void sizing() throws Exception {
        URI api = opts.api();
        int n = opts.intOpt("n", 10_000);
        int batch = opts.intOpt("batch", 500);
        try (LoadGen.Redis redis = opts.redis(); LoadGen.Http http = new LoadGen.Http(api.getHost(), api.getPort(), 1)) {
            LoadGen.Conn c = http.conns.get(0);
            redis.cmd("FLUSHALL");
            // one job first: a queue is paused once it exists
            LoadGen.Resp first = c.call(LoadGen.Http.post(api.getHost(), api.getPort(), "/jobs", JOB), 10_000);
            if (first.status != 201) {
                throw new IllegalStateException("POST /jobs: HTTP " + first.status + " " + first.text());
            }
            awaitSucceeded(redis, 1);
            call(c, api, "/queues/" + QUEUE + "/pause", "", 200);
            long empty = usedMemory(redis);
            byte[] request = LoadGen.Http.post(api.getHost(), api.getPort(), "/jobs/batch", batchBody(batch));
            for (int done = 0; done < n; done += batch) {
                LoadGen.Resp r = c.call(request, 30_000);
                if (r.status != 201) {
                    throw new IllegalStateException("POST /jobs/batch: HTTP " + r.status + " " + r.text());
                }
            }
            long waiting = usedMemory(redis) - empty;
            long jobs = redis.zcard(READY);
            call(c, api, "/queues/" + QUEUE + "/resume", "", 200);
            awaitSucceeded(redis, 1 + jobs);
            // one reap interval (5 s) and a little: whatever trims finished jobs has had its turn
            Thread.sleep(6_000);
            long finished = usedMemory(redis) - empty;
            // the first job is the oldest: the first to go if anything trims
            long kept = Math.min(redis.zcard(SUCCEEDED), jobs);
            System.out.printf(Locale.ROOT, "Redis memory per job, %d echo jobs with the issue's payload (used_memory"
                    + " before: %.1f MiB):%n", jobs, empty / MIB);
            System.out.printf(Locale.ROOT, "  waiting (queued):      %,8.0f bytes a job (%,.1f MiB for %d jobs)%n",
                    (double) waiting / jobs, waiting / MIB, jobs);
            System.out.printf(Locale.ROOT, "  finished (succeeded):  %,8.0f bytes a job kept (%,.1f MiB for the %d of %d"
                    + " jobs Redis keeps)%n", kept == 0 ? Double.NaN : (double) finished / kept, finished / MIB, kept, jobs);
        }
    }

    static void awaitSucceeded(LoadGen.Redis redis, long jobs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (counter(redis, "echo:succeeded") < jobs) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + counter(redis, "echo:succeeded") + " of " + jobs
                        + " jobs succeeded within 120 s");
            }
            Thread.sleep(50);
        }
    }

    // ------------------------------------------------------------------------------------------------ soak
    /** Counts of the answers to POST /jobs/batch, from all client threads. */
    static final class Answers {
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong unavailable = new AtomicLong();
        final AtomicLong otherServerErrors = new AtomicLong();
        final AtomicLong otherFailures = new AtomicLong();
        volatile String lastFailure = "";

        long[] snapshot() {
            return new long[] { accepted.get(), unavailable.get(), otherServerErrors.get(), otherFailures.get() };
        }
    }

    /** One reading a second: Redis' memory and counters, the process' RSS. */
    record Sample(long atMs, long usedMemory, long rss, long finished, long waiting) {
    }

    boolean soak() throws Exception {
        URI api = opts.api();
        int durationS = opts.intOpt("duration-s", 600);
        int intervalS = opts.intOpt("interval-s", 60);
        int clients = opts.intOpt("clients", 2);
        int batch = opts.intOpt("batch", 500);
        long backlog = opts.intOpt("backlog", 20_000);
        int appPid = Integer.parseInt(opts.req("app-pid"));
        Answers answers = new Answers();
        List<Sample> samples = new ArrayList<>();
        try (LoadGen.Redis redis = opts.redis()) {
            redis.cmd("FLUSHALL");
            long budget = info(redis, "memory", "maxmemory");
            AtomicLong waiting = new AtomicLong();
            int intervals = Math.max(1, (durationS + intervalS - 1) / intervalS);
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos((long) intervals * intervalS);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                Thread t = new Thread(() -> enqueueUntil(api, batch, end, backlog, waiting, answers), "client-" + i);
                t.start();
                threads.add(t);
            }
            System.out.printf(Locale.ROOT, "%d s: %d clients, batches of %d, at most about %d jobs waiting; budget"
                    + " (maxmemory) %.0f MiB; a line every %d s%n", intervals * intervalS, clients, batch, backlog,
                    budget / MIB, intervalS);
            System.out.printf(Locale.ROOT, "%8s %10s %10s %10s %10s %8s %10s %10s %10s %10s%n", "minute", "accepted",
                    "finished", "503s", "other 5xx", "other err", "waiting", "redis MiB", "max MiB", "RSS MiB");
            long[] before = answers.snapshot();
            long finishedBefore = 0;
            int interval = 0;
            long nextSample = start;
            while (interval < intervals) {
                if (!LoadGen.Proc.alive(appPid)) {
                    throw new IllegalStateException("the Conveyor process " + appPid + " has exited");
                }
                Sample s = sample(redis, appPid, start);
                samples.add(s);
                waiting.set(s.waiting());
                if (s.atMs() >= (interval + 1) * intervalS * 1000L) {
                    interval++;
                    long[] now = answers.snapshot();
                    List<Sample> window = since(samples, (interval - 1) * intervalS * 1000L);
                    System.out.printf(Locale.ROOT, "%8d %,10d %,10d %,10d %,10d %,8d %,10d %10.1f %10.1f %10.1f%n",
                            interval, now[0] - before[0], s.finished() - finishedBefore, now[1] - before[1],
                            now[2] - before[2], now[3] - before[3], s.waiting(), s.usedMemory() / MIB,
                            window.stream().mapToLong(Sample::usedMemory).max().orElse(0) / MIB,
                            window.stream().mapToLong(Sample::rss).max().orElse(0) / MIB);
                    before = now;
                    finishedBefore = s.finished();
                }
                nextSample += TimeUnit.SECONDS.toNanos(1);
                long pause = TimeUnit.NANOSECONDS.toMillis(nextSample - System.nanoTime());
                if (pause > 0) {
                    Thread.sleep(pause);
                }
            }
            for (Thread t : threads) {
                t.join(60_000);
            }
            long accepted = answers.accepted.get();
            long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(opts.intOpt("drain-s", 180));
            while (finished(redis) < counter(redis, "echo:enqueued") && System.nanoTime() < drainDeadline) {
                Thread.sleep(200);
            }
            return verdicts(redis, answers, samples, budget, intervalS, intervals, accepted);
        }
    }

    /** One client thread: batches one after the other until `end`, holding off while too many jobs wait. */
    static void enqueueUntil(URI api, int batch, long end, long backlog, AtomicLong waiting, Answers answers) {
        byte[] request = LoadGen.Http.post(api.getHost(), api.getPort(), "/jobs/batch", batchBody(batch));
        LoadGen.Http http = null;
        while (System.nanoTime() < end) {
            try {
                if (waiting.get() > backlog) {
                    Thread.sleep(5);
                    continue;
                }
                if (http == null) {
                    http = new LoadGen.Http(api.getHost(), api.getPort(), 1);
                }
                LoadGen.Resp r = http.conns.get(0).call(request, 30_000);
                if (r.status == 201) {
                    answers.accepted.addAndGet(batch);
                    // counted here too, between the readings of Redis: keeps the backlog check current
                    waiting.addAndGet(batch);
                } else if (r.status == 503) {
                    answers.unavailable.incrementAndGet();
                    Thread.sleep(1000); // the API's Retry-After
                } else {
                    (r.status >= 500 ? answers.otherServerErrors : answers.otherFailures).incrementAndGet();
                    answers.lastFailure = "HTTP " + r.status + " " + r.text();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                // no answer (timeout, closed connection): counted, and a new connection for the next batch
                answers.otherFailures.incrementAndGet();
                answers.lastFailure = e.toString();
                if (http != null) {
                    http.close();
                    http = null;
                }
            }
        }
        if (http != null) {
            http.close();
        }
    }

    boolean verdicts(LoadGen.Redis redis, Answers answers, List<Sample> samples, long budget, int intervalS,
            int intervals, long accepted) throws Exception {
        long enqueued = counter(redis, "echo:enqueued");
        long succeeded = counter(redis, "echo:succeeded");
        long failed = counter(redis, "echo:failed") + counter(redis, "echo:cancelled");
        long[] a = answers.snapshot();
        List<Boolean> passed = new ArrayList<>();
        System.out.println();
        passed.add(verdict(a[1] + a[2] + a[3] == 0, "no 5xx: %d 503s, %d other 5xx, %d other failed requests%s", a[1],
                a[2], a[3], answers.lastFailure.isEmpty() ? "" : " (last: " + abbreviate(answers.lastFailure) + ")"));

        long peak = samples.stream().mapToLong(Sample::usedMemory).max().orElse(0);
        double memoryGrowth = growth(samples, Sample::usedMemory);
        passed.add(verdict(peak < PEAK_SHARE * budget && levelled(samples, Sample::usedMemory, MEMORY_SLACK),
                "memory levelled off under the budget: peak %.1f MiB = %.0f %% of the %.0f MiB budget (at most %.0f %%),"
                        + " last third's peak %+.1f %% against the middle third's (at most %+.0f %%)",
                peak / MIB, 100.0 * peak / budget, budget / MIB, 100 * PEAK_SHARE, 100 * memoryGrowth, 100 * GROWTH));

        passed.add(verdict(levelled(samples, Sample::rss, RSS_SLACK),
                "RSS levelled off: peak %.1f MiB, last third's peak %+.1f %% against the middle third's (at most %+.0f %%)",
                samples.stream().mapToLong(Sample::rss).max().orElse(0) / MIB, 100 * growth(samples, Sample::rss),
                100 * GROWTH));

        passed.add(verdict(enqueued == accepted && succeeded == accepted,
                "all accepted finished: %,d accepted (Redis counted %,d enqueued), %,d succeeded, %,d failed or cancelled",
                accepted, enqueued, succeeded, failed));

        long first = finishedIn(samples, 0, intervalS);
        long last = finishedIn(samples, intervals - 1, intervalS);
        passed.add(verdict(intervals >= 2 && last >= THROUGHPUT_SHARE * first,
                "throughput held: last minute %,d finished, first minute %,d (%.0f %%; at least %.0f %%)", last, first,
                first == 0 ? 0 : 100.0 * last / first, 100 * THROUGHPUT_SHARE));
        boolean all = !passed.contains(false);
        System.out.println(all ? "SOAK PASSED" : "SOAK FAILED");
        return all;
    }

    static boolean verdict(boolean ok, String format, Object... args) {
        System.out.printf(Locale.ROOT, "%-4s " + format + "%n", prepend(ok ? "PASS" : "FAIL", args));
        return ok;
    }

    static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    /** Whether the last third's peak is at most GROWTH (plus slack) above the middle third's. */
    static boolean levelled(List<Sample> samples, java.util.function.ToLongFunction<Sample> value, long slack) {
        long[] peaks = thirdsPeaks(samples, value);
        return peaks[1] <= peaks[0] * (1 + GROWTH) + slack;
    }

    static double growth(List<Sample> samples, java.util.function.ToLongFunction<Sample> value) {
        long[] peaks = thirdsPeaks(samples, value);
        return peaks[0] == 0 ? 0 : (double) peaks[1] / peaks[0] - 1;
    }

    /** {peak of the middle third, peak of the last third} of the run. */
    static long[] thirdsPeaks(List<Sample> samples, java.util.function.ToLongFunction<Sample> value) {
        long span = samples.get(samples.size() - 1).atMs();
        long middle = 0;
        long last = 0;
        for (Sample s : samples) {
            if (s.atMs() >= 2 * span / 3) {
                last = Math.max(last, value.applyAsLong(s));
            } else if (s.atMs() >= span / 3) {
                middle = Math.max(middle, value.applyAsLong(s));
            }
        }
        return new long[] { middle, last };
    }

    /** Jobs finished within interval i (0-based), from the samples around its bounds. */
    static long finishedIn(List<Sample> samples, int i, int intervalS) {
        return finishedAt(samples, (i + 1) * intervalS * 1000L) - finishedAt(samples, i * intervalS * 1000L);
    }

    static long finishedAt(List<Sample> samples, long atMs) {
        long finished = 0;
        for (Sample s : samples) {
            if (s.atMs() > atMs) {
                break;
            }
            finished = s.finished();
        }
        return finished;
    }

    static List<Sample> since(List<Sample> samples, long fromMs) {
        return samples.stream().filter(s -> s.atMs() >= fromMs).toList();
    }

    static Sample sample(LoadGen.Redis redis, int appPid, long start) throws Exception {
        return new Sample(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), usedMemory(redis),
                LoadGen.Proc.rssKb(appPid) * 1024, finished(redis), redis.zcard(READY));
    }

    // ------------------------------------------------------------------------------------------------ helpers
    static String batchBody(int count) {
        StringBuilder b = new StringBuilder("{\"jobs\":[");
        for (int i = 0; i < count; i++) {
            b.append(i == 0 ? "" : ",").append(JOB);
        }
        return b.append("]}").toString();
    }

    static void call(LoadGen.Conn c, URI api, String path, String body, int expected) throws Exception {
        LoadGen.Resp r = c.call(LoadGen.Http.post(api.getHost(), api.getPort(), path, body), 10_000);
        if (r.status != expected) {
            throw new IllegalStateException("POST " + path + ": HTTP " + r.status + " " + r.text());
        }
    }

    static long usedMemory(LoadGen.Redis redis) throws Exception {
        return info(redis, "memory", "used_memory");
    }

    static long info(LoadGen.Redis redis, String section, String field) throws Exception {
        Matcher m = Pattern.compile("(?m)^" + field + ":(\\d+)").matcher(redis.cmd("INFO", section).toString());
        if (!m.find()) {
            throw new IllegalStateException("no " + field + " in INFO " + section);
        }
        return Long.parseLong(m.group(1));
    }

    /** A per-type counter of the queue (conveyor:{default}:stats), which retention never trims. */
    static long counter(LoadGen.Redis redis, String field) throws Exception {
        Response value = redis.cmd("HGET", STATS, field);
        return value == null ? 0 : Long.parseLong(value.toString());
    }

    static long finished(LoadGen.Redis redis) throws Exception {
        return counter(redis, "echo:succeeded") + counter(redis, "echo:failed") + counter(redis, "echo:cancelled");
    }
}
