package dev.conveyor.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.redis.client.RedisClientName;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * Follows queues' events streams as they grow, with blocking reads (XREAD BLOCK) on the dedicated {@code blocking}
 * Redis client, and hands what it reads to one {@link Sink}. On one Redis a single read covers every followed queue,
 * plus a wake-up stream of this process' own, written to when a queue is added so that the running read starts over
 * with it. On a cluster a read may not span hash slots: there is one read per queue. A failed read is retried from the
 * same positions, so nothing still in the streams is missed.
 */
@ApplicationScoped
public class EventTails {

    /** Where the events go; called on an event loop, one call at a time per queue. */
    public interface Sink {

        void events(String queue, List<QueueEvent> events);

        /** A read failed (Redis unreachable): events of these queues come late, or not at all if Redis lost them. */
        void interrupted(Set<String> queues, Throwable failure);
    }

    private static final Logger LOG = Logger.getLogger(EventTails.class);
    private static final Duration BLOCK = Duration.ofSeconds(5);
    /** Above the read's own block time: how long a silent connection may take before it counts as dead. */
    private static final Duration GRACE = Duration.ofSeconds(2);
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final int COUNT = 500;

    private final Redis blockingClient;
    private final RedisCalls redis;
    private final KeySpace keys;
    private final Vertx vertx;
    private final String wakeKey;
    private final Map<String, Group> groups = new HashMap<>();
    private volatile Sink sink;

    EventTails(@RedisClientName("blocking") Redis blockingClient, RedisCalls redis, KeySpace keys, Vertx vertx) {
        this.blockingClient = blockingClient;
        this.redis = redis;
        this.keys = keys;
        this.vertx = vertx;
        this.wakeKey = keys.eventsWakeUp(UUID.randomUUID().toString());
    }

    /** Follows {@code queue} from after stream entry {@code after}, unless it is followed already. */
    public void follow(String queue, String after, Sink sink) {
        this.sink = sink;
        String key = keys.queue(queue).events();
        Group group;
        synchronized (this) {
            group = groups.computeIfAbsent(redis.cluster() ? HashTag.of(key) : "", g -> new Group());
        }
        group.add(queue, key, after);
    }

    /** Stops following {@code queue} (the running read ends within its block time). */
    public synchronized void unfollow(String queue) {
        String key = keys.queue(queue).events();
        Group group = groups.get(redis.cluster() ? HashTag.of(key) : "");
        if (group != null) {
            group.remove(queue);
        }
    }

    /** The queues one read covers, their positions, and the read loop over them. */
    private final class Group {

        private final Map<String, String> cursors = new LinkedHashMap<>();
        private final Map<String, String> queueOfKey = new HashMap<>();
        private String wakeCursor = "0-0";
        private boolean reading;

        synchronized void add(String queue, String key, String after) {
            if (cursors.putIfAbsent(key, after) != null) {
                return;
            }
            queueOfKey.put(key, queue);
            if (!reading) {
                reading = true;
                vertx.runOnContext(this::read);
            } else if (!redis.cluster()) {
                wake();
            }
        }

        synchronized void remove(String queue) {
            String key = keys.queue(queue).events();
            cursors.remove(key);
            queueOfKey.remove(key);
        }

        private void wake() {
            redis.batch(List.of(Request.cmd(Command.XADD).arg(wakeKey).arg("MAXLEN").arg(1).arg("*").arg("w").arg(1),
                    Request.cmd(Command.PEXPIRE).arg(wakeKey).arg(Duration.ofHours(1).toMillis())))
                    .subscribe().with(ok -> { }, failure -> LOG.debugf("events wake-up not sent: %s", failure));
        }

        private void read() {
            Request xread = Request.cmd(Command.XREAD).arg("COUNT").arg(COUNT).arg("BLOCK").arg(BLOCK.toMillis())
                    .arg("STREAMS");
            List<String> ids = new ArrayList<>();
            synchronized (this) {
                if (cursors.isEmpty()) {
                    reading = false;
                    return;
                }
                cursors.forEach((key, id) -> {
                    xread.arg(key);
                    ids.add(id);
                });
                if (!redis.cluster()) {
                    xread.arg(wakeKey);
                    ids.add(wakeCursor);
                }
            }
            ids.forEach(xread::arg);
            blockingClient.send(xread).ifNoItem().after(BLOCK.plus(GRACE)).fail()
                    .subscribe().with(answer -> {
                        if (answer != null) {
                            deliver(answer.getDelegate());
                        }
                        read();
                    }, failure -> {
                        Set<String> queues;
                        synchronized (this) {
                            queues = Set.copyOf(queueOfKey.values());
                        }
                        Sink s = sink;
                        if (s != null && !queues.isEmpty()) {
                            s.interrupted(queues, failure);
                        }
                        vertx.setTimer(RETRY.toMillis(), id -> read());
                    });
        }

        private void deliver(Response answer) {
            Map<String, Response> byKey = new LinkedHashMap<>();
            if (answer.isArray()) {
                answer.forEach(stream -> byKey.put(stream.get(0).toString(), stream.get(1)));
            } else {
                answer.getKeys().forEach(key -> byKey.put(key, answer.get(key)));
            }
            byKey.forEach((key, entries) -> {
                if (key.equals(wakeKey)) {
                    synchronized (this) {
                        wakeCursor = entries.get(entries.size() - 1).get(0).toString();
                    }
                    return;
                }
                String queue;
                synchronized (this) {
                    queue = queueOfKey.get(key);
                    if (queue == null || entries.size() == 0) {
                        return;
                    }
                    cursors.put(key, entries.get(entries.size() - 1).get(0).toString());
                }
                Sink s = sink;
                if (s != null) {
                    s.events(queue, JobEvents.entries(queue, entries));
                }
            });
        }
    }
}
