package dev.conveyor.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.regex.Pattern;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * Sends commands on the shared (non-blocking) connection pool with a bounded wait, and runs scripts by SHA with a
 * fallback to EVAL when Redis lost its script cache. Any failure that is not an error reply becomes a
 * {@link RedisUnavailableException}: a {@link RedisNoAnswerException} when the call may have run all the same.
 * On Redis Cluster a pipeline may not span hash slots: commands of several queues go as one pipeline per hash tag,
 * sent together.
 */
@Singleton
class RedisCalls {

    /**
     * What in an error "reply" means Redis cannot be reached or cannot serve now (see {@link #isErrorReply}), looked
     * for anywhere in the message: the client may garble a failed batch's message (below).
     */
    private static final Pattern UNAVAILABLE = Pattern.compile("CONNECTION_CLOSED"
            + "|(?<![A-Z_])(?:LOADING|BUSY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|READONLY|OOM|MOVED|ASK)(?![A-Z_])"
            // a cluster failing over: WAIT sent with a slot map not yet refreshed reaches a node that is a replica now
            + "|WAIT cannot be used with replica instances"
            + "|[a-z\\d_$]\\.[A-Z][\\w$]*(?:Exception|Error|Throwable)");

    private static final Pattern OUT_OF_MEMORY = Pattern.compile("(?<![A-Z_])OOM(?![A-Z_])");

    /** A connection that ended under a call already sent (refused connections are not in here: nothing was sent). */
    private static final Pattern CLOSED_UNDER_CALL = Pattern.compile(
            "CONNECTION_CLOSED|ClosedChannelException|Connection is closed|Connection reset");

    /** Most commands sent in one pipeline by {@link #batch(List, IntFunction)}. */
    static final int MAX_PIPELINE = 1000;

    private final Redis redis;
    private final QueueConfig config;
    /**
     * Whether scripts are sent with their flags line (Redis 7 and later). Off until {@link ScriptLoader} has read the
     * server's version: flags only add guarantees, and Redis 6.2 rejects a script that has them.
     */
    private volatile boolean scriptFlags;
    private final boolean cluster;

    RedisCalls(Redis redis, QueueConfig config,
            @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone") String clientType) {
        this.redis = redis;
        this.config = config;
        this.cluster = "cluster".equalsIgnoreCase(clientType);
    }

    /** Whether Redis is a cluster, where no pipeline or multi-key command may span hash slots. */
    boolean cluster() {
        return cluster;
    }

    Uni<Response> send(Request request) {
        return bounded(redis.send(request));
    }

    void useScriptFlags(boolean supported) {
        scriptFlags = supported;
    }

    boolean scriptFlags() {
        return scriptFlags;
    }

    Uni<Response> script(LuaScript script, List<String> keys, List<String> args) {
        boolean flags = scriptFlags;
        return bounded(redis.send(script.evalsha(flags, keys, args))
                .onFailure(RedisCalls::isNoScript)
                .recoverWithUni(() -> redis.send(script.eval(flags, keys, args))));
    }

    /** As {@link #script(LuaScript, List, List)}, with a binary last argument (a file's bytes, sent as they are). */
    Uni<Response> script(LuaScript script, List<String> keys, List<String> args, byte[] bytes) {
        boolean flags = scriptFlags;
        return bounded(redis.send(script.evalsha(flags, keys, args, bytes))
                .onFailure(RedisCalls::isNoScript)
                .recoverWithUni(() -> redis.send(script.eval(flags, keys, args, bytes))));
    }

    /** Many commands of one hash slot in one round trip (pipelined). */
    Uni<List<Response>> batch(List<Request> requests) {
        return bounded(redis.batch(requests));
    }

    /**
     * Many commands that may touch different queues: one pipeline, or on a cluster one per hash tag, sent together.
     * {@code routing.apply(i)} is a key of request i. Answers in request order.
     */
    Uni<List<Response>> batch(List<Request> requests, IntFunction<String> routing) {
        return perSlot(requests.size(), routing, group -> inPipelines(group,
                pipeline -> bounded(redis.batch(pipeline.stream().map(requests::get).toList()))));
    }

    /**
     * Sends a group of commands as pipelines of at most {@link #MAX_PIPELINE}, all at once (each on a connection of
     * the pool); answers in group order. A connection holds at most {@code quarkus.redis.max-waiting-handlers}
     * (2048) commands waiting for their replies and fails a larger batch whole ("waiting queue is full").
     */
    private static Uni<List<Response>> inPipelines(List<Integer> group,
            Function<List<Integer>, Uni<List<Response>>> send) {
        if (group.size() <= MAX_PIPELINE) {
            return send.apply(group);
        }
        List<Uni<List<Response>>> pipelines = new ArrayList<>();
        for (int from = 0; from < group.size(); from += MAX_PIPELINE) {
            pipelines.add(send.apply(group.subList(from, Math.min(group.size(), from + MAX_PIPELINE))));
        }
        return Uni.join().all(pipelines).andFailFast().map(replies -> {
            List<Response> all = new ArrayList<>(group.size());
            replies.forEach(all::addAll);
            return all;
        });
    }

    /** Many calls of one script in one round trip; all reloaded at once if Redis lost its script cache. */
    Uni<List<Response>> scriptBatch(LuaScript script, List<List<String>> keys, List<List<String>> args) {
        return scriptBatch(script, keys, args, List.of());
    }

    /**
     * Many calls of one script in one round trip, followed by some idempotent commands (sent again with the calls if
     * Redis lost its script cache). Answers the script calls' replies.
     */
    Uni<List<Response>> scriptBatch(LuaScript script, List<List<String>> keys, List<List<String>> args,
            List<Request> after) {
        return scriptBatch(script, keys, args, after, 0, null);
    }

    /**
     * As {@link #scriptBatch(LuaScript, List, List, List)}, each pipeline of calls ended by {@code WAIT} for
     * {@code replicas} replicas to hold its writes: WAIT counts the writes of its own connection, so it rides in the
     * pipeline (on a cluster, one per hash tag, to that slot's node). Fewer replicas within {@code timeout} is a
     * {@link RedisNoAnswerException}: the writes are on the primary, but may not outlive it.
     */
    Uni<List<Response>> replicatedScriptBatch(LuaScript script, List<List<String>> keys, List<List<String>> args,
            List<Request> after, int replicas, Duration timeout) {
        return scriptBatch(script, keys, args, after, replicas, timeout);
    }

    private Uni<List<Response>> scriptBatch(LuaScript script, List<List<String>> keys, List<List<String>> args,
            List<Request> after, int replicas, Duration timeout) {
        boolean flags = scriptFlags;
        List<Request> wait = replicas == 0 ? List.of()
                : List.of(Request.cmd(Command.WAIT).arg(replicas).arg(timeout.toMillis()));
        if (!cluster) {
            List<Request> then = new ArrayList<>(after);
            then.addAll(wait);
            // NOSCRIPT fails every call of the batch before any runs, so sending it again (loaded first) is safe
            return bounded(redis.batch(calls(script, flags, keys, args, then))
                    .onFailure(RedisCalls::isNoScript)
                    .recoverWithUni(() -> redis.send(script.load(flags))
                            .chain(() -> redis.batch(calls(script, flags, keys, args, then)))))
                    .map(replies -> confirmed(replies, replicas, timeout).subList(0, keys.size()));
        }
        // a node may lack a script (a replica promoted since the scripts were loaded): it gets the calls again as
        // EVAL, which also caches it there; the commands after the calls go once they have run, each to its own slot
        Uni<List<Response>> calls = perSlot(keys.size(), i -> keys.get(i).get(0), group -> {
            List<List<String>> groupKeys = group.stream().map(keys::get).toList();
            List<List<String>> groupArgs = group.stream().map(args::get).toList();
            return bounded(redis.batch(calls(script, flags, groupKeys, groupArgs, wait))
                    .onFailure(RedisCalls::isNoScript)
                    .recoverWithUni(() -> redis.batch(with(evals(script, flags, groupKeys, groupArgs), wait))))
                    .map(replies -> confirmed(replies, replicas, timeout));
        });
        if (after.isEmpty()) {
            return calls;
        }
        return calls.call(() -> Uni.join().all(after.stream().map(this::send).toList()).andFailFast());
    }

    /** The replies of a pipeline without its final WAIT, when enough replicas confirmed its writes; else fails. */
    private static List<Response> confirmed(List<Response> replies, int replicas, Duration timeout) {
        if (replicas == 0) {
            return replies;
        }
        long acknowledged = replies.get(replies.size() - 1).toLong();
        if (acknowledged < replicas) {
            throw new RedisNoAnswerException("only " + acknowledged + " of " + replicas
                    + " replicas confirmed the writes within " + timeout, null);
        }
        return replies.subList(0, replies.size() - 1);
    }

    private static List<Request> with(List<Request> requests, List<Request> more) {
        List<Request> all = new ArrayList<>(requests);
        all.addAll(more);
        return all;
    }

    private static List<Request> calls(LuaScript script, boolean flags, List<List<String>> keys,
            List<List<String>> args, List<Request> after) {
        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            requests.add(script.evalsha(flags, keys.get(i), args.get(i)));
        }
        requests.addAll(after);
        return requests;
    }

    private static List<Request> evals(LuaScript script, boolean flags, List<List<String>> keys,
            List<List<String>> args) {
        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            requests.add(script.eval(flags, keys.get(i), args.get(i)));
        }
        return requests;
    }

    /**
     * Sends {@code count} commands as one group, or on a cluster as one group per hash tag of
     * {@code routing.apply(i)}, all at once; answers in command order.
     */
    private Uni<List<Response>> perSlot(int count, IntFunction<String> routing,
            Function<List<Integer>, Uni<List<Response>>> send) {
        List<Integer> all = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            all.add(i);
        }
        if (!cluster || count < 2) {
            return count == 0 ? Uni.createFrom().item(List.of()) : send.apply(all);
        }
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i : all) {
            groups.computeIfAbsent(HashTag.of(routing.apply(i)), tag -> new ArrayList<>()).add(i);
        }
        if (groups.size() == 1) {
            return send.apply(all);
        }
        List<List<Integer>> members = List.copyOf(groups.values());
        return Uni.join().all(members.stream().map(send).toList()).andFailFast().map(replies -> {
            Response[] ordered = new Response[count];
            for (int g = 0; g < members.size(); g++) {
                for (int j = 0; j < members.get(g).size(); j++) {
                    ordered[members.get(g).get(j)] = replies.get(g).get(j);
                }
            }
            return Arrays.asList(ordered);
        });
    }

    private <T> Uni<T> bounded(Uni<T> call) {
        return call.ifNoItem().after(config.redisTimeout())
                .failWith(() -> new RedisNoAnswerException("Redis did not answer within " + config.redisTimeout(), null))
                .onFailure(failure -> !(failure instanceof RedisUnavailableException) && !isErrorReply(failure))
                .transform(failure -> isOutOfMemory(failure)
                        ? new RedisFullException("Redis is full: " + failure.getMessage(), failure)
                        : closedUnderCall(failure)
                                ? new RedisNoAnswerException("Redis connection ended: " + failure.getMessage(), failure)
                                : new RedisUnavailableException("Redis is unreachable: " + failure.getMessage(), failure));
    }

    static boolean closedUnderCall(Throwable failure) {
        return CLOSED_UNDER_CALL.matcher(failure.getClass().getName() + " " + failure.getMessage()).find();
    }

    /** Redis' OOM reply: at maxmemory (with the noeviction policy) it refuses writes that need memory. */
    private static boolean isOutOfMemory(Throwable failure) {
        return failure instanceof io.vertx.redis.client.impl.types.ErrorType
                && OUT_OF_MEMORY.matcher(String.valueOf(failure.getMessage())).find();
    }

    static boolean isNoScript(Throwable failure) {
        // a pipelined call reports "ERR [i] NOSCRIPT ...", a single one "NOSCRIPT ..."
        return isErrorReply(failure) && String.valueOf(failure.getMessage()).contains("NOSCRIPT");
    }

    /**
     * An error reply from Redis itself (script error, wrong type...), as opposed to a connection problem or a Redis
     * that cannot serve now (loading its data, busy, failing over, or full: OOM at {@code maxmemory}; on a cluster, a
     * slot that moved to another node: the call did not run, and the client reads the slots again). The Vert.x
     * client reports some connection problems as error replies too: CONNECTION_CLOSED for calls waiting on a
     * connection that ended, and a failed batch as one reply "ERR [i] <cause>" per failed call, where the cause of a
     * connection problem is a Java exception ("io.netty.channel.StacklessClosedChannelException",
     * "io.vertx.core.VertxException: ...").
     * When a connection ends under a batch, vertx-redis-client 4.5 may build that message with its parts interleaved
     * or lost ("ERR [0ERR [1] io.netty...] io.netty...", seen in OutageIT): markers are searched for, not parsed.
     */
    static boolean isErrorReply(Throwable failure) {
        return failure instanceof io.vertx.redis.client.impl.types.ErrorType
                && !UNAVAILABLE.matcher(String.valueOf(failure.getMessage())).find();
    }
}
