package dev.conveyor.queue;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Singleton;

import dev.conveyor.role.ApiRole;
import io.smallrye.mutiny.Uni;

/**
 * Per-client rate limits shared by every API process: one atomic call of {@code rate-limit.lua} (GCRA on Redis' clock)
 * per request or batch. A limit of {@code count} per {@code per} lets {@code count} through at once from a full
 * limit, then one every {@code per / count}; a request costing more than {@code count} passes only on a full limit.
 */
@ApiRole
@Singleton
public class RateLimiter {

    /** The script counts in whole numbers that Lua's doubles hold exactly up to 2^53. */
    private static final long EXACT = 1L << 53;

    private final RedisCalls redis;
    private final KeySpace keys;
    private final Scripts scripts;

    RateLimiter(RedisCalls redis, KeySpace keys, Scripts scripts) {
        this.redis = redis;
        this.keys = keys;
        this.scripts = scripts;
    }

    /**
     * Takes {@code cost} requests from {@code client}'s limit of {@code count} per {@code per}.
     *
     * @return {@link Duration#ZERO} when the request may pass (it is counted), else how long until a request of the
     *         same cost would pass (nothing is counted); fails with {@link RedisUnavailableException} while Redis is
     *         away
     * @throws IllegalArgumentException for a count or cost below 1, a period under 1 ms, or figures too large to count
     *         exactly
     */
    public Uni<Duration> take(String client, long count, Duration per, long cost) {
        long period = per.toMillis();
        if (count < 1 || cost < 1 || period < 1 || exceedsExactRange(count, period, cost)) {
            throw new IllegalArgumentException("cannot limit " + cost + " requests at " + count + " per " + per);
        }
        return redis.script(scripts.rateLimit, List.of(keys.rateLimit(client)),
                List.of(Long.toString(count), Long.toString(period), Long.toString(cost)))
                .map(wait -> Duration.ofMillis(wait.toLong()));
    }

    /** The script's largest figure is period x (count + 2 cost): a full limit's debt plus twice a request's charge. */
    private static boolean exceedsExactRange(long count, long period, long cost) {
        try {
            return Math.multiplyExact(period, Math.addExact(count, Math.multiplyExact(2, cost))) > EXACT;
        } catch (ArithmeticException e) {
            return true;
        }
    }
}
