package dev.conveyor.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/**
 * The one way out for requests that jobs ask for. Per hop it resolves the host off the event loop, refuses the
 * request when any address is blocked ({@link DestinationPolicy}), and connects to the address it checked (the Host
 * header, TLS SNI and certificate check keep the host name), so DNS cannot answer differently in between. It reads
 * at most {@code max-response-size} bytes of body, keeps the first 64 KiB, and ends everything at one deadline from
 * the start; a cancelled or timed-out request is reset, which closes its connection.
 */
@Singleton
public class GuardedClient {

    /** Body bytes kept for the job's result. */
    public static final int KEPT_BODY_BYTES = 64 * 1024;

    /** What a request got back; {@code reason} is safe to log. */
    public record Answer(int status, String reason, String body, boolean truncated) {
    }

    /** A request of a job: headers may name secrets; {@code body} is null for none. */
    public record Request(HttpMethod method, OutboundUrl url, Map<String, HeaderValue> headers, Buffer body) {
    }

    private record Exchange(Answer answer, String location) {
    }

    private final Vertx vertx;
    private final HttpClient client;
    private final DestinationPolicy policy;
    private final HttpConfig config;

    GuardedClient(Vertx vertx, DestinationPolicy policy, HttpConfig config) {
        this.vertx = vertx;
        this.client = vertx.createHttpClient(new HttpClientOptions().setMaxRedirects(0));
        this.policy = policy;
        this.config = config;
    }

    /** Outside CDI (tests, tools). */
    public static GuardedClient create(Vertx vertx, HttpConfig config) {
        return new GuardedClient(vertx, new DestinationPolicy(config), config);
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /**
     * Sends the request, following redirects if configured. Fails with {@link RefusedRequest} when the rules forbid
     * it, with {@link TimeoutException} past {@code timeout}, or with the network's error.
     */
    public Uni<Answer> send(Request request, Duration timeout) {
        return send(request, timeout, config.followRedirects());
    }

    /** As {@link #send(Request, Duration)}, saying whether redirects are followed (webhooks never follow them). */
    public Uni<Answer> send(Request request, Duration timeout, boolean followRedirects) {
        return Uni.createFrom().deferred(() -> hop(request.method(), request.url(), headers(request.headers()),
                        request.body(), 0, followRedirects))
                .ifNoItem().after(timeout)
                .failWith(() -> new TimeoutException(request.url() + ": no complete answer within " + timeout));
    }

    private Uni<Answer> hop(HttpMethod method, OutboundUrl url, MultiMap headers, Buffer body, int redirects,
            boolean follow) {
        return destination(url)
                .chain(address -> exchange(method, url, address, headers, body))
                .chain(exchange -> {
                    int status = exchange.answer().status();
                    if (!follow || !isRedirect(status) || exchange.location() == null) {
                        return Uni.createFrom().item(exchange.answer());
                    }
                    if (redirects >= config.maxRedirects()) {
                        throw new RefusedRequest(url + ": more than " + config.maxRedirects() + " redirects");
                    }
                    OutboundUrl next;
                    try {
                        next = url.resolve(exchange.location());
                    } catch (IllegalArgumentException e) {
                        throw new RefusedRequest(url + ": redirect to an invalid or non-http URL");
                    }
                    boolean keepsMethod = status == 307 || status == 308 || method == HttpMethod.HEAD
                            || (status != 303 && method != HttpMethod.POST);
                    MultiMap nextHeaders = MultiMap.caseInsensitiveMultiMap().addAll(headers);
                    if (!next.authority().equals(url.authority()) || next.https() != url.https()) {
                        nextHeaders.names().removeIf(HeaderRules::isCredential);
                    }
                    if (!keepsMethod) {
                        nextHeaders.remove("content-type");
                    }
                    return hop(keepsMethod ? method : HttpMethod.GET, next, nextHeaders, keepsMethod ? body : null,
                            redirects + 1, true);
                });
    }

    /** The address to connect to: the URL's literal address, or the first one its host resolves to; all checked. */
    private Uni<InetAddress> destination(OutboundUrl url) {
        Optional<InetAddress> literal;
        try {
            literal = HostLiteral.of(url.host());
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(new RefusedRequest(url + ": the host is not a valid address"));
        }
        if (literal.isPresent()) {
            InetAddress address = literal.get();
            return policy.refusal(address)
                    .<Uni<InetAddress>>map(kind -> Uni.createFrom().failure(new RefusedRequest(
                            "destination not allowed: " + url + " is a " + kind + " address")))
                    .orElseGet(() -> Uni.createFrom().item(address));
        }
        return Uni.createFrom()
                .completionStage(() -> vertx.executeBlocking(() -> InetAddress.getAllByName(url.host()), false)
                        .toCompletionStage())
                .onFailure(UnknownHostException.class)
                .transform(e -> new UnknownHostException(url + ": cannot resolve " + url.host()))
                .map(addresses -> {
                    for (InetAddress address : addresses) {
                        policy.refusal(address).ifPresent(kind -> {
                            throw new RefusedRequest("destination not allowed: " + url + " (" + url.host()
                                    + " resolves to " + address.getHostAddress() + ", a " + kind + " address)");
                        });
                    }
                    return addresses[0];
                });
    }

    private Uni<Exchange> exchange(HttpMethod method, OutboundUrl url, InetAddress address, MultiMap headers,
            Buffer body) {
        RequestOptions options = new RequestOptions().setMethod(method)
                .setServer(SocketAddress.inetSocketAddress(url.port(), address.getHostAddress()))
                .setHost(url.host()).setPort(url.port()).setSsl(url.https()).setURI(url.requestUri())
                .setHeaders(headers).setFollowRedirects(false);
        return Uni.createFrom().emitter(emitter -> {
            AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
            AtomicBoolean ended = new AtomicBoolean();
            AtomicBoolean readToTheEnd = new AtomicBoolean();
            // Cancelled, timed out or cut at the cap: reset, which closes the connection. A complete answer's
            // connection goes back to the pool.
            emitter.onTermination(() -> {
                ended.set(true);
                if (!readToTheEnd.get()) {
                    Optional.ofNullable(sent.get()).ifPresent(HttpClientRequest::reset);
                }
            });
            client.request(options).onComplete(created -> {
                if (created.failed()) {
                    emitter.fail(created.cause());
                    return;
                }
                HttpClientRequest request = created.result();
                sent.set(request);
                if (ended.get()) {
                    request.reset();
                    return;
                }
                request.response().onSuccess(response -> read(response, emitter, readToTheEnd)).onFailure(emitter::fail);
                if (body == null) {
                    request.end();
                } else {
                    request.end(body);
                }
            });
        });
    }

    private void read(HttpClientResponse response, UniEmitter<? super Exchange> emitter, AtomicBoolean readToTheEnd) {
        CappedBody body = new CappedBody(KEPT_BODY_BYTES, config.maxResponseSize().asLongValue());
        response.handler(chunk -> {
            if (!body.add(chunk)) {
                emitter.complete(exchange(response, body)); // its termination resets the request: stop reading
            }
        });
        response.exceptionHandler(emitter::fail);
        response.endHandler(v -> {
            readToTheEnd.set(true);
            emitter.complete(exchange(response, body));
        });
    }

    private static Exchange exchange(HttpClientResponse response, CappedBody body) {
        return new Exchange(new Answer(response.statusCode(), Text.clean(response.statusMessage()), body.text(),
                body.truncated()), response.getHeader("location"));
    }

    /** The headers to send: the job's, with named secrets looked up here, on the worker. */
    private MultiMap headers(Map<String, HeaderValue> jobHeaders) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().set("user-agent", "conveyor");
        if (jobHeaders != null) {
            jobHeaders.forEach((name, value) -> headers.set(name, value.secret() == null ? value.value()
                    : secret(name, value.secret())));
        }
        return headers;
    }

    private String secret(String header, String name) {
        String value = config.secrets().get(name);
        if (value == null) {
            throw new RefusedRequest("header " + header + " names the secret '" + name
                    + "', which is not configured on this worker (conveyor.http.secrets." + name + ")");
        }
        // Mounted secret files often end with a newline, which no header value may hold.
        return value.strip();
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }
}
