package dev.conveyor.it;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client thread that POSTs one job at a time to {@code /jobs}, as fast as the API answers, and records every
 * answer: the ids answered 201 (accepted: they must never be lost), and the status, latency and Retry-After of the
 * others. Each request waits at most {@link #REQUEST_TIMEOUT}; a request that takes that long counts as a hang.
 */
final class Load implements AutoCloseable {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** One answer (status -1: no HTTP answer, e.g. timeout or connection refused). */
    record Answer(long sentAtNanos, long millis, int status, String retryAfter, String error) {
    }

    private final AppProcess api;
    private final String jobJson;
    private final List<String> accepted = new CopyOnWriteArrayList<>();
    private final List<Answer> answers = new CopyOnWriteArrayList<>();
    private final AtomicLong acceptedCount = new AtomicLong();
    private final Thread thread;
    private volatile boolean stopping;

    private Load(AppProcess api, String jobJson) {
        this.api = api;
        this.jobJson = jobJson;
        this.thread = new Thread(this::run, "load");
        this.thread.setDaemon(true);
    }

    static Load start(AppProcess api, String jobJson) {
        Load load = new Load(api, jobJson);
        load.thread.start();
        return load;
    }

    private void run() {
        while (!stopping) {
            long sent = System.nanoTime();
            try {
                Processes.Answer answer = Processes.post(api, "/jobs", jobJson, REQUEST_TIMEOUT);
                long millis = (System.nanoTime() - sent) / 1_000_000;
                String retryAfter = answer.response().headers().firstValue("Retry-After").orElse(null);
                answers.add(new Answer(sent, millis, answer.status(), retryAfter, null));
                if (answer.status() == 201) {
                    accepted.add(answer.body().path("id").asText());
                    acceptedCount.incrementAndGet();
                }
            } catch (IOException e) {
                answers.add(new Answer(sent, (System.nanoTime() - sent) / 1_000_000, -1, null, e.toString()));
                // connection refused answers at once: do not spin
                pause();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    long acceptedCount() {
        return acceptedCount.get();
    }

    /** The ids answered 201 so far. */
    List<String> accepted() {
        return new ArrayList<>(accepted);
    }

    List<Answer> answers() {
        return new ArrayList<>(answers);
    }

    /** Answers to requests sent between the two instants of {@link System#nanoTime()}. */
    List<Answer> answersSentBetween(long fromNanos, long toNanos) {
        return answers.stream().filter(a -> a.sentAtNanos() >= fromNanos && a.sentAtNanos() < toNanos).toList();
    }

    /** Stops sending and waits for the request in flight. */
    void stop() {
        stopping = true;
        try {
            thread.join(REQUEST_TIMEOUT.plusSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
