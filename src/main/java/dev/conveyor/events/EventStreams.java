package dev.conveyor.events;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

import jakarta.inject.Singleton;

import dev.conveyor.queue.JobEvents;
import dev.conveyor.queue.QueueEvent;
import dev.conveyor.role.ApiRole;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.BackPressureFailure;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.mutiny.core.Vertx;

/**
 * Event streams to clients (SSE): each hears its queues' events through the {@link EventHub}, starting with what the
 * caller gives (a catch-up from a client's last event, or a job's current state), then live. A client keeps a
 * position per queue, so an event is never sent twice nor out of order. A client slower than its events is dropped
 * once {@code conveyor.events.client-buffer} events wait for it (it reconnects and resumes); open streams per pod are
 * capped.
 */
@ApiRole
@Singleton
public class EventStreams {

    /** What a stream sends: an event with the client's position after it; a gap (reset event); or a heartbeat. */
    public record Delivery(QueueEvent event, String position) {

        public boolean heartbeat() {
            return event == null;
        }
    }

    /** How a stream starts: each queue's position (absent: live from now), and the events to send first. */
    public record Start(Map<String, String> positions, List<QueueEvent> first) {
    }

    /** More streams than {@code conveyor.events.max-streams} are open on this pod. */
    public static final class TooManyStreams extends RuntimeException {

        TooManyStreams(int max) {
            super(max + " event streams are open on this instance (conveyor.events.max-streams)", null, false, false);
        }
    }

    private final EventHub hub;
    private final JobEvents events;
    private final EventsConfig config;
    private final Vertx vertx;
    private final AtomicInteger open = new AtomicInteger();
    private final Counter dropped;

    EventStreams(EventHub hub, JobEvents events, EventsConfig config, Vertx vertx, MeterRegistry registry) {
        this.hub = hub;
        this.events = events;
        this.config = config;
        this.vertx = vertx;
        Gauge.builder("conveyor.events.streams", open, AtomicInteger::get)
                .description("Event streams (SSE) open on this instance").register(registry);
        this.dropped = Counter.builder("conveyor.events.streams.dropped")
                .description("Event streams ended because the client read slower than its events came")
                .register(registry);
    }

    /**
     * A stream of the queues' events that {@code wanted} keeps, which ends after an event that {@code last} matches.
     * {@code start} is called once the queues are heard, with each queue's position from which events are live.
     *
     * @throws TooManyStreams when the pod has as many streams open as it may
     */
    public Multi<Delivery> open(Set<String> queues, Predicate<QueueEvent> wanted, Predicate<QueueEvent> last,
            Function<Map<String, String>, Uni<Start>> start) {
        return open(Uni.createFrom().item(queues), wanted, last, start);
    }

    /** As {@link #open(Set, Predicate, Predicate, Function)}, with queues known later (read from Redis). */
    public Multi<Delivery> open(Uni<Set<String>> queues, Predicate<QueueEvent> wanted, Predicate<QueueEvent> last,
            Function<Map<String, String>, Uni<Start>> start) {
        if (open.incrementAndGet() > config.maxStreams()) {
            open.decrementAndGet();
            throw new TooManyStreams(config.maxStreams());
        }
        return Multi.createFrom().<Delivery>emitter(emitter -> new Client(emitter, queues, wanted, last).start(start),
                BackPressureStrategy.ERROR)
                .onOverflow().buffer(config.clientBuffer())
                .onFailure(BackPressureFailure.class).invoke(failure -> dropped.increment())
                .onFailure(BackPressureFailure.class).recoverWithCompletion()
                .onTermination().invoke(open::decrementAndGet);
    }

    /**
     * Events of {@code queue} after {@code from} up to {@code until}, and a gap first when {@code from} is gone from
     * the stream; read in pages.
     */
    public Uni<List<QueueEvent>> catchUp(String queue, String from, String until) {
        return catchUp(queue, from, until, new ArrayList<>(), true);
    }

    private Uni<List<QueueEvent>> catchUp(String queue, String from, String until, List<QueueEvent> read,
            boolean firstPage) {
        int page = 500;
        return events.since(queue, from, until, page).chain(found -> {
            if (firstPage && found.gap()) {
                read.add(new QueueEvent(queue, null, null, null, null, null, null));
            }
            read.addAll(found.events());
            if (found.events().size() < page || read.size() > config.capacity()) {
                return Uni.createFrom().item(read);
            }
            return catchUp(queue, found.events().get(found.events().size() - 1).id(), until, read, false);
        });
    }

    /** One client's stream. */
    private final class Client implements EventHub.Listener {

        private final MultiEmitter<? super Delivery> emitter;
        private final Uni<Set<String>> named;
        private Set<String> queues = Set.of();
        private final Predicate<QueueEvent> wanted;
        private final Predicate<QueueEvent> last;
        private final Map<String, String> positions = new HashMap<>();
        /** Live events heard while the stream's start is still being sent; null once it is. */
        private List<QueueEvent> early = new ArrayList<>();
        private long heartbeats = -1;
        private boolean closed;

        Client(MultiEmitter<? super Delivery> emitter, Uni<Set<String>> queues, Predicate<QueueEvent> wanted,
                Predicate<QueueEvent> last) {
            this.emitter = emitter;
            this.named = queues;
            this.wanted = wanted;
            this.last = last;
        }

        void start(Function<Map<String, String>, Uni<Start>> start) {
            emitter.onTermination(this::close);
            Map<String, String> live = new HashMap<>();
            named.chain(resolved -> {
                synchronized (this) {
                    if (closed) {
                        return Uni.createFrom().voidItem();
                    }
                    queues = resolved;
                }
                List<Uni<Void>> listens = new ArrayList<>();
                for (String queue : resolved) {
                    listens.add(hub.listen(queue, this).invoke(position -> {
                        synchronized (live) {
                            live.put(queue, position);
                        }
                    }).replaceWithVoid());
                }
                return listens.isEmpty() ? Uni.createFrom().voidItem()
                        : Uni.join().all(listens).andFailFast().replaceWithVoid();
            })
                    .chain(() -> start.apply(live))
                    .subscribe().with(begin -> begin(begin, live), emitter::fail);
        }

        private synchronized void begin(Start begin, Map<String, String> live) {
            for (String queue : queues) {
                positions.put(queue, begin.positions().containsKey(queue) ? begin.positions().get(queue)
                        : live.get(queue));
            }
            begin.first().forEach(this::send);
            List<QueueEvent> heard = early;
            early = null;
            heard.forEach(this::send);
            heartbeats = vertx.setPeriodic(config.heartbeat().toMillis(),
                    id -> emitter.emit(new Delivery(null, null)));
        }

        @Override
        public synchronized void event(QueueEvent event) {
            if (early == null) {
                send(event);
            } else if (early.size() < config.clientBuffer()) {
                early.add(event);
            } else {
                emitter.fail(new BackPressureFailure("the client's stream is starting more slowly than events come"));
            }
        }

        /** Sends an event unless the client has it already (a null position accepts anything: a job's state). */
        private void send(QueueEvent event) {
            if (event.id() != null) {
                String position = positions.get(event.queue());
                if (position != null && !QueueEvent.after(event.id(), position)) {
                    return;
                }
                positions.put(event.queue(), event.id());
            }
            if (event.reset() || wanted.test(event)) {
                emitter.emit(new Delivery(event, position()));
                if (!event.reset() && last.test(event)) {
                    emitter.complete();
                }
            }
        }

        /** The client's position in every queue: {@code queue:id,queue:id}, the SSE event id to resume from. */
        private String position() {
            StringBuilder text = new StringBuilder();
            positions.forEach((queue, id) -> {
                if (id != null) {
                    text.append(text.length() == 0 ? "" : ",").append(queue).append(':').append(id);
                }
            });
            return text.toString();
        }

        /** Leaves the hub outside this client's lock: the hub delivers events holding its own locks. */
        private void close() {
            Set<String> left;
            synchronized (this) {
                if (heartbeats >= 0) {
                    vertx.cancelTimer(heartbeats);
                }
                left = queues;
                queues = Set.of();
                closed = true;
            }
            left.forEach(queue -> hub.leave(queue, this));
        }
    }
}
