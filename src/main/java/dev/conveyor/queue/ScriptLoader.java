package dev.conveyor.queue;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.impl.RedisClusterClient;

/**
 * Loads every script into Redis' cache at start, retrying until Redis answers, so that the first calls go by SHA.
 * First it reads Redis' version: scripts keep their flags line (such as {@code allow-oom}) only on Redis 7 and later.
 */
@Singleton
public class ScriptLoader {

    private static final Logger LOG = Logger.getLogger(ScriptLoader.class);
    private static final Pattern VERSION = Pattern.compile("^redis_version:(\\d+)\\.", Pattern.MULTILINE);
    /** The first Redis version that reads a script's flags line. */
    private static final int FLAGS_SINCE = 7;

    private final RedisCalls redis;
    private final Scripts scripts;
    private volatile boolean loaded;

    ScriptLoader(RedisCalls redis, Scripts scripts) {
        this.redis = redis;
        this.scripts = scripts;
    }

    void load(@Observes StartupEvent event) {
        redis.send(Request.cmd(Command.INFO).arg("server"))
                .map(info -> readsFlags(info.toString()))
                .invoke(flags -> {
                    redis.useScriptFlags(flags);
                    if (!flags) {
                        LOG.warn("Redis is older than 7: scripts run without their flags, so recording the outcome of"
                                + " a job can fail while Redis is at maxmemory (see docs/operations.md)");
                    }
                })
                .chain(flags -> redis.cluster() ? loadOnEveryPrimary(flags)
                        : redis.batch(scripts.all().stream().map(script -> script.load(flags)).toList()))
                .onFailure().invoke(failure -> LOG.warnf("cannot load the Lua scripts yet (%s); retrying",
                        failure.getMessage()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).indefinitely()
                .subscribe().with(ok -> loaded = true);
    }

    /**
     * On a cluster each primary has its own script cache. The cluster client sends a keyless command to one node,
     * except those it knows how to reduce, which go to every primary: SCRIPT becomes one (all answer the same SHA).
     * Nodes that missed a load (a replica promoted since) still run a call, as EVAL, which caches the script there.
     */
    private Uni<List<Response>> loadOnEveryPrimary(boolean flags) {
        RedisClusterClient.addReducer(io.vertx.redis.client.Command.SCRIPT, answers -> answers.get(0));
        return Uni.join().all(scripts.all().stream().map(script -> redis.send(script.load(flags))).toList())
                .andFailFast();
    }

    /** Whether the server of this {@code INFO server} answer reads scripts' flags lines. */
    static boolean readsFlags(String info) {
        Matcher version = VERSION.matcher(info);
        return version.find() && Integer.parseInt(version.group(1)) >= FLAGS_SINCE;
    }

    /** Whether Redis has every script in its cache since start-up (calls work either way: EVAL is the fallback). */
    public boolean loaded() {
        return loaded;
    }
}
