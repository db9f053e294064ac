package dev.conveyor.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.redis.client.RedisClientName;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;

/**
 * How an idle worker waits for work without polling: a blocking pop (BZPOPMIN) on the queues' marker keys, which
 * every enqueue and retry adds to. It runs on connections of the dedicated {@code blocking} Redis client, so blocking
 * never holds a connection of the shared pool. On one Redis a single pop covers every queue; on a cluster a pop may
 * not span hash slots, so there is one pop, on its own connection, per queue, and the wait ends with the first of
 * them. A pop still blocked when the wait ends is kept for the next wait rather than sent again. One waiter per
 * worker; calls must not overlap.
 */
@ApplicationScoped
public class WakeUps {

    /** Above the pop's own timeout: how long a silent connection may take before it counts as dead. */
    private static final Duration GRACE = Duration.ofSeconds(2);

    private final Redis blockingClient;
    private final JobStore store;
    private final boolean cluster;
    /** Per group of marker keys that one pop may cover (every key on one Redis; one queue's on a cluster). */
    private final Map<String, Pop> pops = new HashMap<>();

    WakeUps(@RedisClientName("blocking") Redis blockingClient, JobStore store, RedisCalls redis) {
        this.blockingClient = blockingClient;
        this.store = store;
        this.cluster = redis.cluster();
    }

    /** Completes when one of the queues has new work, or after {@code max}; true when woken by work. */
    public Uni<Boolean> await(List<String> queues, Duration max) {
        if (queues.isEmpty() || max.toMillis() <= 0) {
            return Uni.createFrom().item(false);
        }
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (String key : store.wakeUpKeys(queues)) {
            groups.computeIfAbsent(cluster ? HashTag.of(key) : "", group -> new ArrayList<>()).add(key);
        }
        dropAllBut(groups.keySet());
        if (groups.size() == 1) {
            var only = groups.entrySet().iterator().next();
            return pop(only.getKey()).await(only.getValue(), max);
        }
        return new FirstWakeUp(groups, max).await();
    }

    /**
     * Waits on every group at once: true as soon as one pop is woken by work, false once {@code max} passed. A pop
     * kept from an earlier wait ends on its own timeout; its group is then popped again for the time left, so no queue
     * goes unheard for the rest of this wait.
     */
    private final class FirstWakeUp {

        /** Shorter than this, a fresh pop is not worth sending: the wait is about to end anyway. */
        private static final long MIN_REARM_NANOS = Duration.ofMillis(10).toNanos();

        private final Map<String, List<String>> groups;
        private final Duration max;
        private final long deadline;
        private final List<Cancellable> subscriptions = new ArrayList<>();
        private int open;
        private boolean ended;

        FirstWakeUp(Map<String, List<String>> groups, Duration max) {
            this.groups = groups;
            this.max = max;
            this.deadline = System.nanoTime() + max.toNanos();
        }

        Uni<Boolean> await() {
            return Uni.createFrom().<Boolean>emitter(emitter -> {
                emitter.onTermination(this::end);
                groups.forEach((group, keys) -> listen(group, keys, emitter));
            }).ifNoItem().after(max).recoverWithItem(false);
        }

        private void listen(String group, List<String> keys, UniEmitter<? super Boolean> emitter) {
            long left = deadline - System.nanoTime();
            synchronized (this) {
                if (ended) {
                    return;
                }
                if (left < MIN_REARM_NANOS) {
                    if (open == 0) {
                        emitter.complete(false);
                    }
                    return;
                }
                open++;
            }
            Cancellable subscription = pop(group).await(keys, Duration.ofNanos(left)).subscribe().with(woken -> {
                synchronized (this) {
                    open--;
                }
                if (woken) {
                    emitter.complete(true);
                } else {
                    listen(group, keys, emitter);
                }
            }, emitter::fail);
            synchronized (this) {
                subscriptions.add(subscription);
            }
        }

        private void end() {
            List<Cancellable> cancelled;
            synchronized (this) {
                ended = true;
                cancelled = new ArrayList<>(subscriptions);
            }
            cancelled.forEach(Cancellable::cancel);
        }
    }

    private synchronized Pop pop(String group) {
        return pops.computeIfAbsent(group, g -> new Pop());
    }

    /** Forgets every connection (broken, or possibly stuck); the next wait opens new ones. */
    public void drop() {
        dropAllBut(Set.of());
    }

    /** Closes the connections of groups no longer waited on (a queue the worker stopped serving). */
    private void dropAllBut(Set<String> kept) {
        List<Pop> dropped = new ArrayList<>();
        synchronized (this) {
            pops.entrySet().removeIf(entry -> !kept.contains(entry.getKey()) && dropped.add(entry.getValue()));
        }
        dropped.forEach(Pop::drop);
    }

    /** One blocking connection and the pop running on it, if any. */
    private final class Pop {

        private RedisConnection connection;
        private Uni<Boolean> running;

        /** The running pop if there is one (it covers the same keys), else a new one of at most {@code max}. */
        synchronized Uni<Boolean> await(List<String> keys, Duration max) {
            if (running == null) {
                Request pop = Request.cmd(Command.BZPOPMIN);
                keys.forEach(pop::arg);
                pop.arg(String.format(Locale.ROOT, "%.3f", max.toMillis() / 1000.0));
                running = connection()
                        .chain(c -> c.send(pop))
                        .ifNoItem().after(max.plus(GRACE)).fail()
                        .map(answer -> answer != null && answer.size() > 0)
                        .onFailure().invoke(this::drop)
                        .onFailure().transform(failure -> new RedisUnavailableException(
                                "blocking wait failed: " + failure.getMessage(), failure))
                        .onTermination().invoke(this::ended)
                        .memoize().indefinitely();
            }
            return running;
        }

        private synchronized void ended() {
            running = null;
        }

        private Uni<RedisConnection> connection() {
            if (connection != null) {
                return Uni.createFrom().item(connection);
            }
            return blockingClient.connect().invoke(c -> {
                synchronized (this) {
                    connection = c;
                }
                c.exceptionHandler(failure -> drop());
                c.endHandler(this::drop);
            });
        }

        synchronized void drop() {
            RedisConnection broken = connection;
            connection = null;
            running = null;
            if (broken != null) {
                broken.close().subscribe().with(ok -> { }, failure -> { });
            }
        }
    }
}
