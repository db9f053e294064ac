package dev.conveyor.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

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

    @Test
    void redisCachesEveryAssembledScriptUnderTheShaItIsCalledBy() {
        for (LuaScript script : scripts.all()) {
            assertThat(script.source()).as(script.name).doesNotContain("@include");
            assertThat(redis.execute("SCRIPT", "LOAD", script.source()).toString()).as(script.name)
                    .isEqualTo(script.sha());
        }
    }

    @Test
    void theScriptsAreLoadedAtStartUp() {
        Awaitility.await("the scripts to be loaded").atMost(Duration.ofSeconds(10)).until(loader::loaded);
        for (LuaScript script : scripts.all()) {
            assertThat(redis.execute("SCRIPT", "EXISTS", script.sha()).get(0).toInteger()).as(script.name)
                    .isEqualTo(1);
        }
    }

    @Test
    void anIncludeIsInsertedOnceEvenWhenAnotherIncludeAlsoIncludesIt() {
        // fail.lua includes finish, then failForGood, which includes finish as well
        assertThat(definitions(scripts.fail.source(), "finish")).isEqualTo(1);
        assertThat(definitions(scripts.fail.source(), "failForGood")).isEqualTo(1);
        assertThat(definitions(scripts.reap.source(), "inChunks")).isEqualTo(1);
        assertThat(definitions(scripts.completeAndClaim.source(), "readyScore")).isEqualTo(1);
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
