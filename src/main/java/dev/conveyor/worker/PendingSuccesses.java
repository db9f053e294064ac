package dev.conveyor.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Singleton;

import dev.conveyor.job.JobStatus;
import dev.conveyor.queue.ClaimedJob;
import dev.conveyor.queue.Completion;
import dev.conveyor.role.WorkerRole;
import io.smallrye.mutiny.subscription.UniEmitter;

/**
 * Successes waiting to be recorded, by queue. The claim loop carries them with its next claim call of their queue
 * (one script records them and claims more), so under load a success costs no round trip of its own.
 */
@Singleton
@WorkerRole
class PendingSuccesses {

    /** A success and the caller waiting to hear how it was recorded. */
    private record Pending(Completion completion, UniEmitter<? super Optional<JobStatus>> recorded) {
    }

    private final Map<String, Queue<Pending>> byQueue = new ConcurrentHashMap<>();
    private final AtomicInteger waiting = new AtomicInteger();

    /**
     * Adds the success; {@code recorded} hears, once a call wrote it, the status recorded (succeeded, or cancelled
     * when a client asked while it ran; empty: lease lost).
     */
    void add(ClaimedJob job, String result, UniEmitter<? super Optional<JobStatus>> recorded) {
        byQueue.computeIfAbsent(job.id().queue(), queue -> new ConcurrentLinkedQueue<>())
                .add(new Pending(new Completion(job, result), recorded));
        waiting.incrementAndGet();
    }

    /** True when no success waits to be carried (some may be on their way to Redis). */
    boolean isEmpty() {
        return waiting.get() == 0;
    }

    /** The queues with successes waiting. */
    List<String> queues() {
        List<String> queues = new ArrayList<>();
        byQueue.forEach((queue, pending) -> {
            if (!pending.isEmpty()) {
                queues.add(queue);
            }
        });
        return queues;
    }

    /** Takes every success of the queue waiting now, to send with one call. */
    Batch take(String queue) {
        Queue<Pending> pending = byQueue.get(queue);
        List<Pending> taken = new ArrayList<>();
        Pending next;
        while (pending != null && (next = pending.poll()) != null) {
            taken.add(next);
        }
        waiting.addAndGet(-taken.size());
        return new Batch(queue, taken);
    }

    /** Successes on their way to Redis in one call. */
    final class Batch {

        private final String queue;
        private final List<Pending> items;

        private Batch(String queue, List<Pending> items) {
            this.queue = queue;
            this.items = items;
        }

        boolean isEmpty() {
            return items.isEmpty();
        }

        int size() {
            return items.size();
        }

        List<Completion> completions() {
            return items.stream().map(Pending::completion).toList();
        }

        /** The call answered: tells each job how its success was recorded. */
        void settle(List<Optional<JobStatus>> recorded) {
            for (int i = 0; i < items.size(); i++) {
                items.get(i).recorded().complete(recorded.get(i));
            }
        }

        /** The call failed: the successes wait for the next one (a lost lease is caught by the token then). */
        void putBack() {
            if (items.isEmpty()) {
                return;
            }
            byQueue.get(queue).addAll(items);
            waiting.addAndGet(items.size());
        }
    }
}
