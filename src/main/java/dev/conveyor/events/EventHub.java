package dev.conveyor.events;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.conveyor.queue.EventTails;
import dev.conveyor.queue.JobEvents;
import dev.conveyor.queue.QueueEvent;
import dev.conveyor.role.ApiRole;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * This pod's single reader of the queues' events: while anyone here listens to a queue (an SSE client, a result
 * wait), the hub keeps the queue's events recorded in Redis and follows its stream, and hands each event to every
 * listener of the queue. One Redis read serves any number of listeners.
 */
@ApiRole
@Singleton
public class EventHub implements EventTails.Sink {

    /** Someone in this pod who wants a queue's events. Called on an event loop; must not block. */
    public interface Listener {

        void event(QueueEvent event);

        /** Reading the queue's events failed (Redis unreachable): events may come late, or be lost. */
        default void interrupted(Throwable failure) {
        }
    }

    private static final Logger LOG = Logger.getLogger(EventHub.class);

    private final JobEvents events;
    private final EventTails tails;
    private final EventsConfig config;
    private final Vertx vertx;
    private final Map<String, Followed> followed = new ConcurrentHashMap<>();
    private final long refresh;

    EventHub(JobEvents events, EventTails tails, EventsConfig config, Vertx vertx) {
        this.events = events;
        this.tails = tails;
        this.config = config;
        this.vertx = vertx;
        this.refresh = vertx.setPeriodic(Math.max(1000, config.listenTtl().toMillis() / 3), id -> keepListening());
    }

    /**
     * Adds a listener of {@code queue}. Answers the id of the stream entry after which the listener hears every event
     * (an event at or before it may have reached the listener too); fails when Redis cannot be reached, and the
     * listener is then removed.
     */
    public Uni<String> listen(String queue, Listener listener) {
        Uni<String> live;
        // one lock with leave(): a listener never joins a queue that its last listener is just leaving
        synchronized (this) {
            live = followed.computeIfAbsent(queue, Followed::new).add(listener);
        }
        return live.onFailure().invoke(() -> leave(queue, listener));
    }

    public synchronized void leave(String queue, Listener listener) {
        Followed q = followed.get(queue);
        if (q == null) {
            return;
        }
        q.listeners.remove(listener);
        if (q.listeners.isEmpty()) {
            followed.remove(queue);
            tails.unfollow(queue);
        }
    }

    @Override
    public void events(String queue, List<QueueEvent> received) {
        Followed q = followed.get(queue);
        if (q == null || received.isEmpty()) {
            return;
        }
        // the listeners of this moment hear the events; one that joins now starts after them. They are called outside
        // the lock, as a listener may leave (and take the hub's lock) while it hears an event.
        Set<Listener> listeners;
        synchronized (q) {
            q.lastDelivered = received.get(received.size() - 1).id();
            listeners = Set.copyOf(q.listeners);
        }
        for (QueueEvent event : received) {
            listeners.forEach(listener -> listener.event(event));
        }
    }

    @Override
    public void interrupted(Set<String> queues, Throwable failure) {
        LOG.debugf("reading events of %s failed: %s", queues, failure.getMessage());
        for (String queue : queues) {
            Followed q = followed.get(queue);
            if (q != null) {
                q.listeners.forEach(listener -> listener.interrupted(failure));
            }
        }
    }

    /** Queues with listeners in this pod, for the open-streams gauge and tests. */
    public Set<String> queues() {
        return new HashSet<>(followed.keySet());
    }

    /** Says again that this pod listens, before the listening keys expire; a queue new to Redis starts recording. */
    private void keepListening() {
        for (Followed q : followed.values()) {
            events.listen(q.queue, config.capacity(), config.listenTtl(), config.retention())
                    .subscribe().with(id -> { }, failure -> LOG.debugf("listening to %s not renewed: %s", q.queue,
                            failure.getMessage()));
        }
    }

    @PreDestroy
    void stop() {
        vertx.cancelTimer(refresh);
    }

    /** A queue this pod follows: its listeners, and the latest event handed to them. */
    private final class Followed {

        final String queue;
        final Set<Listener> listeners = new CopyOnWriteArraySet<>();
        /** Set once the queue is followed: the id after which listeners hear everything. */
        String lastDelivered;
        Uni<String> started;

        Followed(String queue) {
            this.queue = queue;
        }

        synchronized Uni<String> add(Listener listener) {
            listeners.add(listener);
            if (lastDelivered != null) {
                return Uni.createFrom().item(lastDelivered);
            }
            if (started == null) {
                started = events.listen(queue, config.capacity(), config.listenTtl(), config.retention())
                        .invoke(this::follow)
                        .onFailure().invoke(this::notStarted)
                        .memoize().indefinitely();
            }
            return started;
        }

        private synchronized void follow(String latest) {
            if (lastDelivered == null) {
                lastDelivered = latest;
            }
            tails.follow(queue, latest, EventHub.this);
        }

        private synchronized void notStarted() {
            started = null;
        }
    }
}
