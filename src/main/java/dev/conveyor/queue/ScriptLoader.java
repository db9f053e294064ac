package dev.conveyor.queue;

import java.time.Duration;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/** Loads every script into Redis' cache at start, retrying until Redis answers, so that the first calls go by SHA. */
@Singleton
public class ScriptLoader {

    private static final Logger LOG = Logger.getLogger(ScriptLoader.class);

    private final RedisCalls redis;
    private final Scripts scripts;
    private volatile boolean loaded;

    ScriptLoader(RedisCalls redis, Scripts scripts) {
        this.redis = redis;
        this.scripts = scripts;
    }

    void load(@Observes StartupEvent event) {
        redis.batch(scripts.all().stream().map(LuaScript::load).toList())
                .onFailure().invoke(failure -> LOG.warnf("cannot load the Lua scripts yet (%s); retrying",
                        failure.getMessage()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).indefinitely()
                .subscribe().with(ok -> loaded = true);
    }

    /** Whether Redis has every script in its cache since start-up (calls work either way: EVAL is the fallback). */
    public boolean loaded() {
        return loaded;
    }
}
