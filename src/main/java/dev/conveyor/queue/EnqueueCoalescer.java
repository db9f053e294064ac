package dev.conveyor.queue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Singleton;

import dev.conveyor.job.NewJob;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Single enqueues of many clients, sent to Redis together. A request goes out at once while fewer than
 * {@value #CALLS_IN_FLIGHT} calls are under way; otherwise it waits for one of them to end and goes out with every
 * request that arrived meanwhile. An idle API thus adds no wait, and a busy one makes a few large script calls
 * instead of one per request: each call costs Redis and the API a round trip, whatever its size (bench/run.sh,
 * single POST /jobs from 64 connections). Each request keeps its own outcome ({@link JobStore#enqueueEach}), also
 * when Redis does not answer (its own job id in an {@link OutcomeUnknownException}). When Redis cannot be reached, a
 * call's failure ends every waiting request too: in an outage, each request gets its 503 within about one Redis
 * timeout, however many wait.
 */
@Singleton
public class EnqueueCoalescer {

    /** Two: while Redis runs one call, the next one gathers requests. */
    private static final int CALLS_IN_FLIGHT = 2;
    /** Bounds one script call's run time, as the batch size bounds a client's batch. */
    private static final int MOST_JOBS_PER_CALL = 1000;

    private final JobStore store;
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    private int inFlight;

    EnqueueCoalescer(JobStore store) {
        this.store = store;
    }

    /** Enqueues one job: what {@code store.enqueueEach(List.of(job))} would answer. */
    public Uni<Enqueued> enqueue(NewJob job) {
        return Uni.createFrom().emitter(emitter -> {
            List<Pending> call;
            synchronized (this) {
                waiting.add(new Pending(job, emitter, Vertx.currentContext()));
                call = inFlight < CALLS_IN_FLIGHT ? nextCall() : null;
            }
            send(call);
        });
    }

    /** The waiting requests of the next call, counted in flight; null when none wait. Holds the lock. */
    private List<Pending> nextCall() {
        if (waiting.isEmpty()) {
            return null;
        }
        inFlight++;
        List<Pending> call = new ArrayList<>(Math.min(waiting.size(), MOST_JOBS_PER_CALL));
        while (!waiting.isEmpty() && call.size() < MOST_JOBS_PER_CALL) {
            call.add(waiting.poll());
        }
        return call;
    }

    private void send(List<Pending> call) {
        if (call == null) {
            return;
        }
        // deferred: whatever goes wrong reaches every request of the call, and the call always ends
        Uni.createFrom().deferred(() -> store.enqueueEach(call.stream().map(Pending::job).toList()))
                .subscribe().with(results -> {
                    try {
                        for (int i = 0; i < call.size(); i++) {
                            call.get(i).answer(results.get(i), null);
                        }
                    } finally {
                        ended();
                    }
                }, failure -> {
                    try {
                        call.forEach(pending -> pending.answer(null, ownPart(failure, pending.job())));
                        // the requests waiting behind this call would fail the same way, a thousand per Redis
                        // timeout: they get their 503 now, within one timeout of arriving, and were never sent
                        if (failure instanceof RedisUnavailableException) {
                            RedisUnavailableException notSent = new RedisUnavailableException(
                                    "not sent: " + failure.getMessage(), failure);
                            allWaiting().forEach(pending -> pending.answer(null, notSent));
                        }
                    } finally {
                        ended();
                    }
                });
    }

    /** Each request whose outcome is unknown is told its own job id, not those of the others sent with it. */
    private static Throwable ownPart(Throwable failure, NewJob job) {
        if (failure instanceof OutcomeUnknownException unknown) {
            OutcomeUnknownException own = unknown.of(job);
            // not among the jobs sent: refused before the call (its queue would be one too many)
            return own != null ? own : new RedisUnavailableException("not sent: " + failure.getMessage(), failure);
        }
        return failure;
    }

    private synchronized List<Pending> allWaiting() {
        List<Pending> all = new ArrayList<>(waiting);
        waiting.clear();
        return all;
    }

    private void ended() {
        List<Pending> next;
        synchronized (this) {
            inFlight--;
            next = nextCall();
        }
        send(next);
    }

    private record Pending(NewJob job, UniEmitter<? super Enqueued> emitter, Context context) {

        /** On the request's own Vert.x context, where its HTTP exchange goes on. */
        void answer(Enqueued result, Throwable failure) {
            if (context == null || context == Vertx.currentContext()) {
                complete(result, failure);
            } else {
                context.runOnContext(ignored -> complete(result, failure));
            }
        }

        private void complete(Enqueued result, Throwable failure) {
            if (failure == null) {
                emitter.complete(result);
            } else {
                emitter.fail(failure);
            }
        }
    }
}
