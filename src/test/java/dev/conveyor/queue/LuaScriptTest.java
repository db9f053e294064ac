package dev.conveyor.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.conveyor.testing.RedisNodes;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.core.Vertx;

/** The scripts as they are sent to Redis: includes inserted, each once, and cached under the SHA they are called by. */
@QuarkusTest
@TestProfile(StoreOnlyProfile.class)
class LuaScriptTest {

    @Inject
    Scripts scripts;

    @Inject
    ScriptLoader loader;

    @Inject
    RedisDataSource redis;

    @Inject
    Vertx vertx;

    @Inject
    RedisCalls calls;

    /** Redis 6.2 (the tests' fallback when no redis-server is on PATH) cannot parse a flags line. */
    @Test
    void redisCachesEveryAssembledScriptUnderTheShaItIsCalledBy() {
        boolean redis7 = ScriptLoader.readsFlags(redis.execute("INFO", "server").toString());
        for (LuaScript script : scripts.all()) {
            for (boolean flags : redis7 ? new boolean[] { true, false } : new boolean[] { false }) {
                assertThat(script.source(flags)).as(script.name).doesNotContain("@include");
                assertThat(redis.execute("SCRIPT", "LOAD", script.source(flags)).toString()).as(script.name)
                        .isEqualTo(script.sha(flags));
            }
        }
    }

    @Test
    void theScriptsAreLoadedAtStartUpWithTheirFlagsOnRedis7() {
        Awaitility.await("the scripts to be loaded").atMost(Duration.ofSeconds(10)).until(loader::loaded);
        boolean redis7 = ScriptLoader.readsFlags(redis.execute("INFO", "server").toString());
        assertThat(calls.scriptFlags()).isEqualTo(redis7);
        // on every primary of a cluster: each runs the scripts of its own queues
        try (RedisNodes nodes = new RedisNodes(vertx)) {
            for (LuaScript script : scripts.all()) {
                assertThat(nodes.sendToPrimaries("SCRIPT", "EXISTS", script.sha(redis7)))
                        .as(script.name).allSatisfy(exists -> assertThat(exists.get(0).toInteger()).isEqualTo(1));
            }
        }
    }

    @Test
    void withoutFlagsTheFlagsLineIsACommentAndTheLinesStayWhereTheyWere() {
        String flagged = scripts.fail.source(true);
        String plain = scripts.fail.source(false);
        assertThat(flagged).startsWith("#!lua flags=allow-oom\n");
        assertThat(plain).startsWith("--lua flags=allow-oom\n").doesNotContain("#!");
        assertThat(plain.lines().count()).isEqualTo(flagged.lines().count());
        assertThat(scripts.enqueue.source(false)).as("a script without flags").isEqualTo(scripts.enqueue.source(true));
    }

    @Test
    void redis7AndLaterReadFlags() {
        assertThat(ScriptLoader.readsFlags("# Server\r\nredis_version:6.2.6\r\nredis_mode:standalone\r\n")).isFalse();
        assertThat(ScriptLoader.readsFlags("# Server\r\nredis_version:7.0.15\r\n")).isTrue();
        assertThat(ScriptLoader.readsFlags("# Server\r\nredis_version:10.0.0\r\n")).isTrue();
        assertThat(ScriptLoader.readsFlags("ERR unknown")).isFalse();
    }

    @Test
    void anIncludeIsInsertedOnceEvenWhenAnotherIncludeAlsoIncludesIt() {
        // fail.lua includes callback, which includes emit, and emit as well
        assertThat(definitions(scripts.fail.source(true), "emit")).isEqualTo(1);
        assertThat(definitions(scripts.fail.source(true), "callback")).isEqualTo(1);
        assertThat(definitions(scripts.reap.source(true), "inChunks")).isEqualTo(1);
        assertThat(definitions(scripts.completeAndClaim.source(true), "readyScore")).isEqualTo(1);
    }

    @Test
    void anUnknownIncludeFailsAtLoadNamingTheFileAndTheScript() {
        assertThatThrownBy(() -> LuaScript.load("test/unknown-include"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("lua/includes/no-such-helper.lua")
                .hasMessageContaining("test/unknown-include");
    }

    private static int definitions(String source, String function) {
        return (int) Pattern.compile("(?m)^local function " + function + "\\(").matcher(source).results().count();
    }
}
