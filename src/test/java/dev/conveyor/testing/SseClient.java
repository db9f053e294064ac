package dev.conveyor.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import io.restassured.path.json.JsonPath;

/**
 * A real server-sent events client over a plain HTTP connection: it parses the stream as a browser's EventSource does
 * (fields id, event, data; comment lines), keeps every event in order, and counts comments (heartbeats).
 */
public final class SseClient implements AutoCloseable {

    /** One event: its id, name (null for the default) and data. */
    public record Event(String id, String name, String data) {

        public JsonPath json() {
            return new JsonPath(data);
        }
    }

    private static final Event END = new Event(null, null, null);

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final AtomicInteger comments = new AtomicInteger();
    private final HttpResponse<InputStream> response;
    private final Thread reader;
    private volatile boolean ended;

    private SseClient(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new Thread(this::read, "sse-client");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens a stream at {@code url}, with {@code Last-Event-ID} when not null; waits for the status line only. */
    public static SseClient open(String url, String lastEventId, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        try {
            HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request.build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            return new SseClient(response);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int status() {
        return response.statusCode();
    }

    public String contentType() {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    public int comments() {
        return comments.get();
    }

    /** Whether the server ended the stream (read to its end). */
    public boolean ended() {
        return ended;
    }

    /** The next event, waiting at most {@code max}; null when none came or the stream ended. */
    public Event next(Duration max) {
        try {
            Event event = events.poll(max.toMillis(), TimeUnit.MILLISECONDS);
            return event == END || event == null ? null : event;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Events until one matches {@code last} (included), failing if it takes longer than {@code max}. */
    public List<Event> until(Predicate<Event> last, Duration max) {
        List<Event> read = new ArrayList<>();
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Event event = left <= 0 ? null : next(Duration.ofNanos(left));
            if (event == null) {
                throw new AssertionError("no matching event within " + max + "; got " + read);
            }
            read.add(event);
            if (last.test(event)) {
                return read;
            }
        }
    }

    /** Every event until the server ends the stream, failing if it takes longer than {@code max}. */
    public List<Event> toEnd(Duration max) {
        List<Event> read = new ArrayList<>();
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            try {
                Event event = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
                if (event == null) {
                    throw new AssertionError("the stream did not end within " + max + "; got " + read);
                }
                if (event == END) {
                    return read;
                }
                read.add(event);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return read;
            }
        }
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null;
            String name = null;
            StringBuilder data = null;
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(id, name, data.toString()));
                    }
                    name = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    comments.incrementAndGet();
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1);
                    value = value.startsWith(" ") ? value.substring(1) : value;
                    switch (field) {
                        case "id" -> id = value;
                        case "event" -> name = value;
                        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                        default -> {
                        }
                    }
                }
            }
        } catch (IOException e) {
            // closed by close(), or by the server
        } finally {
            ended = true;
            events.add(END);
        }
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException e) {
            // already closed
        }
        reader.interrupt();
    }
}
