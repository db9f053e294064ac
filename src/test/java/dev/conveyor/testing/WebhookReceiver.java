package dev.conveyor.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A webhook receiver on 127.0.0.1 (a free port): records every request (path, headers, body) and answers each path
 * with the statuses it was told, in order, then 200. A path may hold its first request open (no answer) until it is
 * released or the receiver closed, to stand for a receiver that hangs; then the connection closes without an answer.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request as received; header names in lower case. */
    public record Delivery(String path, Map<String, String> headers, String body) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "webhook-receiver");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Delivery> received = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Integer>> answers = new ConcurrentHashMap<>();
    /** Paths whose first request is held, each with the latch that releases it. */
    private final Map<String, CountDownLatch> held = new ConcurrentHashMap<>();

    private WebhookReceiver(HttpServer server) {
        this.server = server;
    }

    public static WebhookReceiver start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
        WebhookReceiver receiver = new WebhookReceiver(server);
        server.createContext("/", receiver::handle);
        server.setExecutor(receiver.threads);
        server.start();
        return receiver;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The next requests to {@code path} get these statuses, in order; later ones 200. */
    public void answer(String path, int... statuses) {
        Deque<Integer> queue = answers.computeIfAbsent(path, p -> new ArrayDeque<>());
        synchronized (queue) {
            for (int status : statuses) {
                queue.add(status);
            }
        }
    }

    /** The first request to {@code path} is recorded and then held open, unanswered, until released. */
    public void holdFirst(String path) {
        held.put(path, new CountDownLatch(1));
    }

    /** Ends the held first request of {@code path}: its connection closes without an answer. */
    public void release(String path) {
        held.get(path).countDown();
    }

    public List<Delivery> received(String path) {
        return received.stream().filter(delivery -> delivery.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, String> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
                String.join(",", values)));
        received.add(new Delivery(path, headers, body));
        CountDownLatch release = held.get(path);
        if (release != null && received(path).size() == 1) {
            try {
                release.await(10, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        int status = 200;
        Deque<Integer> queue = answers.get(path);
        if (queue != null) {
            synchronized (queue) {
                status = queue.isEmpty() ? 200 : queue.poll();
            }
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    @Override
    public void close() {
        held.values().forEach(CountDownLatch::countDown);
        server.stop(0);
        threads.shutdownNow();
    }
}
