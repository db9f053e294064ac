package dev.conveyor.queue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;

/**
 * Stops new jobs before Redis is full: above {@code conveyor.queue.enqueue-memory-limit} of Redis' {@code maxmemory}
 * enqueues are refused, so that workers keep room to record outcomes. Reads {@code INFO memory} once a second, not
 * once per enqueue, starting with the first enqueue of the process (workers, which never enqueue, never read it).
 */
@Singleton
public class MemoryGuard {

    private static final Logger LOG = Logger.getLogger(MemoryGuard.class);
    static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
    private static final Pattern USED = Pattern.compile("^used_memory:(\\d+)", Pattern.MULTILINE);
    private static final Pattern MAX = Pattern.compile("^maxmemory:(\\d+)", Pattern.MULTILINE);

    private final RedisCalls redis;
    private final QueueConfig config;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean full;
    private volatile Cancellable polling;

    MemoryGuard(RedisCalls redis, QueueConfig config) {
        this.redis = redis;
        this.config = config;
    }

    /** @throws RedisFullException while Redis' memory use is above the limit (as of the last reading) */
    void admitNewJobs() {
        if (started.compareAndSet(false, true)) {
            polling = Multi.createFrom().ticks().every(POLL_INTERVAL).onOverflow().drop()
                    .onItem().transformToUniAndConcatenate(tick -> read())
                    .subscribe().with(ignored -> { });
            read().subscribe().with(ignored -> { });
        }
        if (full) {
            throw new RedisFullException("Redis' memory use is above " + config.enqueueMemoryLimit()
                    + " of its maxmemory: no new jobs until memory frees up", null);
        }
    }

    /** A failed reading keeps the last state: an unreachable Redis refuses enqueues on its own. */
    private Uni<Void> read() {
        return redis.send(Request.cmd(Command.INFO).arg("memory"))
                .invoke(info -> {
                    boolean now = aboveLimit(info.toString(), config.enqueueMemoryLimit());
                    if (now != full) {
                        LOG.warnf(now ? "Redis' memory use is above %s of its maxmemory: new jobs are refused"
                                : "Redis' memory use is below %s of its maxmemory again: new jobs are accepted",
                                config.enqueueMemoryLimit());
                    }
                    full = now;
                })
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Whether this {@code INFO memory} answer shows a use above {@code limit} of maxmemory (never without one). */
    static boolean aboveLimit(String info, double limit) {
        Matcher used = USED.matcher(info);
        Matcher max = MAX.matcher(info);
        if (!used.find() || !max.find()) {
            return false;
        }
        long maxmemory = Long.parseLong(max.group(1));
        return maxmemory > 0 && Long.parseLong(used.group(1)) > limit * maxmemory;
    }

    @PreDestroy
    void stop() {
        Cancellable running = polling;
        if (running != null) {
            running.cancel();
        }
    }
}
