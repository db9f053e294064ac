package dev.conveyor.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.conveyor.testing.TestKeys;

/** The keys file is read strictly: a typo never grants more than meant. */
class KeysFileTest {

    private static final String OLD = TestKeys.sha256("cvk_old");
    private static final String NEW = TestKeys.sha256("cvk_new");

    @Test
    void oneClientMayHoldTwoKeysWithTheSameGrantsWhileItRotates() {
        List<ApiKey> keys = KeysFile.parse("{\"keys\": ["
                + entry("billing-app", OLD, "[\"submit\"]", "[\"billing\"]", ",\"rate\":\"500/s\"") + ","
                + entry("billing-app", NEW, "[\"submit\"]", "[\"billing\"]", ",\"rate\":\"500/s\"") + "]}");

        assertThat(keys).hasSize(2);
        assertThat(keys.get(0).caller()).isEqualTo(keys.get(1).caller());
        assertThat(keys.get(0).caller().roles()).containsExactly(Role.SUBMIT);
    }

    @Test
    void oneNameWithTwoDifferentGrantsIsRefused() {
        assertThatThrownBy(() -> KeysFile.parse("{\"keys\": ["
                + entry("billing-app", OLD, "[\"submit\"]", "[\"billing\"]", "") + ","
                + entry("billing-app", NEW, "[\"admin\"]", "[\"billing\"]", "") + "]}"))
                .hasMessageContaining("keys[1].name");
    }

    @Test
    void theSameKeyTwiceAnUnknownFieldOrRoleAndABadHashAreRefusedNamingTheField() {
        assertThatThrownBy(() -> KeysFile.parse("{\"keys\": [" + entry("a", OLD, "[\"read\"]", "[\"*\"]", "") + ","
                + entry("b", OLD, "[\"read\"]", "[\"*\"]", "") + "]}")).hasMessageContaining("keys[1].sha256");
        assertThatThrownBy(() -> KeysFile.parse("{\"keys\": [" + entry("a", OLD, "[\"read\"]", "[\"*\"]",
                ",\"role\":\"admin\"") + "]}")).hasMessageContaining("keys[0].role: is not a known field");
        assertThatThrownBy(() -> KeysFile.parse("{\"keys\": [" + entry("a", OLD, "[\"owner\"]", "[\"*\"]", "")
                + "]}")).hasMessageContaining("keys[0].roles: owner");
        assertThatThrownBy(() -> KeysFile.parse("{\"keys\": [" + entry("a", "abc", "[\"read\"]", "[\"*\"]", "")
                + "]}")).hasMessageContaining("keys[0].sha256");
        assertThatThrownBy(() -> KeysFile.parse("{\"keys\": [" + entry("a", OLD, "[\"read\"]", "[\"no way\"]", "")
                + "]}")).hasMessageContaining("keys[0].queues");
    }

    private static String entry(String name, String hash, String roles, String queues, String more) {
        return "{\"name\":\"" + name + "\",\"sha256\":\"" + hash + "\",\"roles\":" + roles + ",\"queues\":" + queues
                + more + "}";
    }
}
