package dev.conveyor.queue;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HashTagTest {

    @Test
    void theTagIsTheTextBetweenTheFirstBracesWhenNotEmpty() {
        assertThat(HashTag.of("conveyor:{emails}:ready")).isEqualTo("emails");
        assertThat(HashTag.of("conveyor:{emails}:job:{x}")).isEqualTo("emails");
        assertThat(HashTag.of("conveyor:queues")).isEqualTo("conveyor:queues");
        assertThat(HashTag.of("a{}b{c}")).isEqualTo("a{}b{c}");
        assertThat(HashTag.of("a{b")).isEqualTo("a{b");
    }

    /** Slots as Redis' CLUSTER KEYSLOT gives them (values from the Redis documentation and redis-cli). */
    @Test
    void slotsAreThoseOfRedisCluster() {
        assertThat(HashTag.slot("somekey")).isEqualTo(11058);
        assertThat(HashTag.slot("foo")).isEqualTo(12182);
        assertThat(HashTag.slot("{user1000}.following")).isEqualTo(HashTag.slot("{user1000}.followers"))
                .isEqualTo(HashTag.slot("user1000"));
    }

    @Test
    void aKeyCanBeFoundForAnyRangeOfSlots() {
        for (int[] range : new int[][] { { 0, 5460 }, { 5461, 10922 }, { 10923, 16383 }, { 42, 42 } }) {
            assertThat(HashTag.slot(HashTag.keyInSlots(range[0], range[1]))).isBetween(range[0], range[1]);
        }
    }
}
