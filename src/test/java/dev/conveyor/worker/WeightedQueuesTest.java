package dev.conveyor.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WeightedQueuesTest {

    @Test
    void parsesQueuesWithWeights() {
        WeightedQueues queues = WeightedQueues.parse("critical:3,default:1,bulk:10");
        assertThat(queues.weights()).isEqualTo(Map.of("critical", 3, "default", 1, "bulk", 10));
        assertThat(queues.names()).as("in the configured order").containsExactly("critical", "default", "bulk");
    }

    @Test
    void aQueueWithoutAWeightWeighsOne() {
        assertThat(WeightedQueues.parse("default").weights()).isEqualTo(Map.of("default", 1));
        assertThat(WeightedQueues.parse("a,b:2").weights()).isEqualTo(Map.of("a", 1, "b", 2));
    }

    @Test
    void blanksAndEmptyItemsAreIgnored() {
        assertThat(WeightedQueues.parse("  critical : 3 , , default ,").weights())
                .isEqualTo(Map.of("critical", 3, "default", 1));
        assertThat(WeightedQueues.parse("").weights()).isEmpty();
        assertThat(WeightedQueues.parse(" , ").names()).isEmpty();
    }

    @Test
    void queueNamesMayUseTheWholeAlphabetOfTheRule() {
        String longest = "a".repeat(64);
        assertThat(WeightedQueues.parse("q-1_x:2,0queue," + longest + ":5").weights())
                .isEqualTo(Map.of("q-1_x", 2, "0queue", 1, longest, 5));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Critical:3",        // upper case
        "crit ical:3",       // space inside the name
        "-default",          // starts with '-'
        "_default",          // starts with '_'
        "a.b",               // dot
        "émails",            // not ASCII
        ":3",                // no name
        "default:0",         // weight below 1
        "default:-2",
        "default:",          // missing weight
        "default:x",         // not a number
        "default:1.5",
        "default:2:3",
        "default:99999999999",
        "ok:1,Bad:2",        // one bad item spoils the spec
    })
    void rejectsBadNamesAndWeights(String spec) {
        assertThatIllegalArgumentException().isThrownBy(() -> WeightedQueues.parse(spec))
                .withMessageContaining("conveyor.worker.queues");
    }

    @Test
    void rejectsANameLongerThan64Characters() {
        assertThatIllegalArgumentException().isThrownBy(() -> WeightedQueues.parse("a".repeat(65)));
    }

    /**
     * Weights that parse must also be drawable: a spec the parser accepts but {@code drawOrder} cannot handle would
     * make every cycle of the worker loop fail (it would back off and retry forever without claiming anything). Weights
     * near the int limit must not overflow their sum.
     */
    @Test
    void weightsThatParseCanBeDrawn() {
        WeightedQueues queues;
        try {
            queues = WeightedQueues.parse("a:2000000000,b:2000000000");
        } catch (IllegalArgumentException rejected) {
            return; // refusing such weights at start-up is fine too
        }
        List<String> order = queues.drawOrder();
        assertThat(new HashSet<>(order)).isEqualTo(Set.of("a", "b"));
    }

    @Test
    void equalGivesEveryQueueWeightOneInOrder() {
        WeightedQueues queues = WeightedQueues.equal(List.of("default", "b", "a"));
        assertThat(queues.names()).isEqualTo(List.of("default", "b", "a"));
        assertThat(queues.weights()).isEqualTo(Map.of("default", 1, "b", 1, "a", 1));
    }

    @Test
    void everyDrawHoldsEveryQueueExactlyOnce() {
        WeightedQueues queues = WeightedQueues.parse("critical:3,default:1,bulk:1,reports:7,x:100");
        Set<String> all = Set.of("critical", "default", "bulk", "reports", "x");
        for (int i = 0; i < 5000; i++) {
            List<String> order = queues.drawOrder();
            assertThat(order).as(order.toString()).hasSize(all.size());
            assertThat(new HashSet<>(order)).as(order.toString()).isEqualTo(all);
        }
    }

    @Test
    void drawsOfOneOrNoQueue() {
        assertThat(WeightedQueues.parse("only:5").drawOrder()).isEqualTo(List.of("only"));
        assertThat(WeightedQueues.parse("").drawOrder()).isEmpty();
    }

    @Test
    void aWeight3QueueComesFirstAboutThreeTimesAsOftenAsAWeight1Queue() {
        WeightedQueues queues = WeightedQueues.parse("heavy:3,light:1");
        Map<String, Integer> first = countFirst(queues, 40_000);
        double ratio = (double) first.get("heavy") / first.get("light");
        // expected 3 (30 000 : 10 000); three standard deviations are about +-0.1
        assertThat(ratio).as("heavy:light first = " + first).isGreaterThan(2.6).isLessThan(3.4);
    }

    @Test
    void withThreeQueuesFirstPlacesAreProportionalToTheWeights() {
        WeightedQueues queues = WeightedQueues.parse("a:3,b:1,c:1");
        int draws = 50_000;
        Map<String, Integer> first = countFirst(queues, draws);
        // expected shares 3/5, 1/5, 1/5
        assertShare(first, "a", 0.6, draws);
        assertShare(first, "b", 0.2, draws);
        assertShare(first, "c", 0.2, draws);
        double ratio = (double) first.get("a") / first.get("b");
        assertThat(ratio).as("a:b first = " + first).isGreaterThan(2.6).isLessThan(3.4);
    }

    @Test
    void aLightQueueIsNotStarved() {
        WeightedQueues queues = WeightedQueues.parse("heavy:100,light:1");
        Map<String, Integer> first = countFirst(queues, 20_000);
        // expected 20 000 / 101 = 198 times first
        assertThat(first.getOrDefault("light", 0)).as(first.toString()).isGreaterThan(100);
    }

    @Test
    void equalWeightsGiveEqualChances() {
        WeightedQueues queues = WeightedQueues.equal(List.of("a", "b", "c", "d"));
        int draws = 40_000;
        Map<String, Integer> first = countFirst(queues, draws);
        for (String queue : List.of("a", "b", "c", "d")) {
            assertShare(first, queue, 0.25, draws);
        }
    }

    private static Map<String, Integer> countFirst(WeightedQueues queues, int draws) {
        Map<String, Integer> first = new HashMap<>();
        for (int i = 0; i < draws; i++) {
            first.merge(queues.drawOrder().get(0), 1, Integer::sum);
        }
        return first;
    }

    /** Within five standard deviations of the binomial expectation. */
    /** A worker serving many idle queues draws their order every claim round: that must not cost n squared. */
    @Test
    void drawingTheOrderOfManyQueuesTakesLinearithmicTime() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            names.add("q" + i);
        }
        WeightedQueues queues = WeightedQueues.equal(names);
        assertTimeoutPreemptively(Duration.ofSeconds(3), () -> {
            for (int round = 0; round < 3; round++) {
                assertThat(queues.drawOrder()).hasSize(100_000);
            }
        });
    }

    private static void assertShare(Map<String, Integer> first, String queue, double p, int draws) {
        double expected = p * draws;
        double sigma = Math.sqrt(draws * p * (1 - p));
        int actual = first.getOrDefault(queue, 0);
        assertThat(Math.abs(actual - expected))
                .as(queue + " first " + actual + " times, expected about " + expected + ": " + first)
                .isLessThan(5 * sigma);
    }
}
