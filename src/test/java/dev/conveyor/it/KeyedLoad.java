package dev.conveyor.it;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * Client threads that POST one job at a time to {@code /jobs} with an idempotency key and, as a careful client does,
 * send the same request again until it is acknowledged (201 created, or 200 for a job its key already made). Every
 * acknowledged job id is recorded with the time of its answer; every answer is counted by status (-1: no HTTP answer).
 */
final class KeyedLoad implements AutoCloseable {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** The client's pause before it sends a request that was not acknowledged again. */
    private static final long RETRY_PAUSE_MILLIS = 100;

    /** A job id the API acknowledged, and when ({@link System#nanoTime()}). */
    record Acknowledged(String key, String id, long atNanos) {
    }

    private final AppProcess api;
    private final LongFunction<String> jobJson;
    private final List<Acknowledged> acknowledged = new CopyOnWriteArrayList<>();
    private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> problemTypes = new ConcurrentHashMap<>();
    private final AtomicLong withoutRetryAfter = new AtomicLong();
    private final AtomicLong sequence = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopping;

    private KeyedLoad(AppProcess api, LongFunction<String> jobJson) {
        this.api = api;
        this.jobJson = jobJson;
    }

    /** {@code jobJson} makes the body of the n-th job (n from 0). */
    static KeyedLoad start(AppProcess api, int clients, LongFunction<String> jobJson) {
        KeyedLoad load = new KeyedLoad(api, jobJson);
        for (int i = 0; i < clients; i++) {
            Thread thread = new Thread(load::run, "keyed-load-" + i);
            thread.setDaemon(true);
            load.threads.add(thread);
            thread.start();
        }
        return load;
    }

    private void run() {
        while (!stopping) {
            long n = sequence.getAndIncrement();
            String key = "load-" + n;
            String body = jobJson.apply(n);
            while (!stopping && !send(key, body)) {
                pause();
            }
        }
    }

    /** One attempt; true when acknowledged. */
    private boolean send(String key, String body) {
        try {
            Processes.Answer answer = Processes.send(Processes.asAdmin(api, "/jobs", REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json").header("Idempotency-Key", key)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)));
            statuses.computeIfAbsent(answer.status(), s -> new AtomicLong()).incrementAndGet();
            if (answer.status() == 201 || answer.status() == 200) {
                acknowledged.add(new Acknowledged(key, answer.body().path("id").asText(), System.nanoTime()));
                return true;
            }
            if (answer.status() == 503) {
                if (answer.response().headers().firstValue("Retry-After").isEmpty()) {
                    withoutRetryAfter.incrementAndGet();
                }
                String type = answer.body() == null ? "none" : answer.body().path("type").asText();
                problemTypes.computeIfAbsent(type.substring(type.lastIndexOf('/') + 1), t -> new AtomicLong())
                        .incrementAndGet();
            }
            return false;
        } catch (IOException e) {
            statuses.computeIfAbsent(-1, s -> new AtomicLong()).incrementAndGet();
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
            return false;
        }
    }

    private void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(RETRY_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    List<Acknowledged> acknowledged() {
        return List.copyOf(acknowledged);
    }

    long acknowledgedSince(long nanos) {
        return acknowledged.stream().filter(a -> a.atNanos() >= nanos).count();
    }

    long acknowledgedBetween(long fromNanos, long toNanos) {
        return acknowledged.stream().filter(a -> a.atNanos() >= fromNanos && a.atNanos() < toNanos).count();
    }

    /** Answers by HTTP status (-1: none), in status order. */
    Map<Integer, Long> statuses() {
        Map<Integer, Long> counts = new TreeMap<>();
        statuses.forEach((status, count) -> counts.put(status, count.get()));
        return counts;
    }

    long count(int status) {
        AtomicLong count = statuses.get(status);
        return count == null ? 0 : count.get();
    }

    /** The 503 answers by problem type ({@code unavailable}, {@code outcome-unknown}). */
    Map<String, Long> problemTypes() {
        Map<String, Long> counts = new TreeMap<>();
        problemTypes.forEach((type, count) -> counts.put(type, count.get()));
        return counts;
    }

    long withoutRetryAfter() {
        return withoutRetryAfter.get();
    }

    /** Stops sending (a key not acknowledged by then is given up) and waits for the requests in flight. */
    void stop() {
        stopping = true;
        for (Thread thread : threads) {
            try {
                thread.join(REQUEST_TIMEOUT.plusSeconds(5).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                thread.interrupt();
            }
        }
    }

    @Override
    public void close() {
        stop();
    }
}
