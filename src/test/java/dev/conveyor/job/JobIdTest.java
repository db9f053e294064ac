package dev.conveyor.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class JobIdTest {

    private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final String VALID_ULID = "01ARYZ6S41TSV4RRFFQ69G5FAV";

    @Test
    void newIdKeepsTheQueueAndMakesA26CharacterCrockfordUlid() {
        JobId id = JobId.newId("emails", System.currentTimeMillis());

        assertThat(id.queue()).isEqualTo("emails");
        assertThat(id.ulid().length()).isEqualTo(26);
        assertThat(id.ulid().matches("[0-9A-HJKMNP-TV-Z]{26}")).as(id.ulid()).isTrue();
        assertThat(JobId.isUlid(id.ulid())).isTrue();
        assertThat(id.toString()).isEqualTo("emails." + id.ulid());
    }

    @Test
    void theFirstTenCharactersEncodeTheMilliseconds() {
        // the example of the ULID specification: 01ARYZ6S41 is 1469918176385
        assertThat(JobId.newId("q", 1_469_918_176_385L).ulid()).startsWith("01ARYZ6S41");
        assertThat(JobId.newId("q", 0L).ulid()).startsWith("0000000000");
        assertThat(JobId.newId("q", (1L << 48) - 1).ulid()).startsWith("7ZZZZZZZZZ");

        Random random = new Random(42);
        for (int i = 0; i < 1000; i++) {
            long millis = random.nextLong(1L << 48);
            assertThat(decodeTime(JobId.newId("q", millis).ulid())).as(() -> "millis " + millis).isEqualTo(millis);
        }
    }

    @Test
    void idsParseBackToEqualIds() {
        for (String queue : List.of("default", "a", "critical", "q-1_x", "0abc", "a".repeat(64))) {
            JobId id = JobId.newId(queue, System.currentTimeMillis());
            Optional<JobId> parsed = JobId.parse(id.toString());
            assertThat(parsed).isEqualTo(Optional.of(id));
            assertThat(parsed.get().toString()).isEqualTo(id.toString());
        }
        assertThat(JobId.parse("default." + VALID_ULID)).isEqualTo(Optional.of(new JobId("default", VALID_ULID)));
    }

    @Test
    void idsMadeInTheSameMillisecondAreAllDifferent() {
        long now = System.currentTimeMillis();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertThat(seen.add(JobId.newId("q", now).ulid())).isTrue();
        }
    }

    @Test
    void ulidsSortByCreationTime() {
        Random random = new Random(7);
        List<Long> millis = new ArrayList<>();
        // neighbours across every character boundary, plus random times
        for (int shift = 0; shift < 48; shift += 5) {
            millis.add((1L << shift) - 1);
            millis.add(1L << shift);
        }
        for (int i = 0; i < 2000; i++) {
            millis.add(random.nextLong(1L << 48));
        }
        List<Long> distinct = millis.stream().distinct().toList();
        List<JobId> ids = new ArrayList<>(distinct.stream().map(m -> JobId.newId("q", m)).toList());
        ids.sort(Comparator.comparing(JobId::ulid));

        List<Long> byUlid = ids.stream().map(id -> decodeTime(id.ulid())).toList();
        assertThat(byUlid).isEqualTo(distinct.stream().sorted().toList());
    }

    @Test
    void laterIdsSortAfterEarlierOnes() {
        long start = 1_700_000_000_000L;
        String previous = JobId.newId("q", start).ulid();
        for (long t = start + 1; t < start + 5000; t += 7) {
            String next = JobId.newId("q", t).ulid();
            assertThat(next.compareTo(previous)).as(previous + " then " + next).isGreaterThan(0);
            previous = next;
        }
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "default",                                       // no ulid
        "." + VALID_ULID,                                // no queue
        "default.",                                      // empty ulid
        "default" + VALID_ULID,                          // no dot
        "Default." + VALID_ULID,                         // upper-case queue
        "-default." + VALID_ULID,                        // queue starting with '-'
        "de fault." + VALID_ULID,                        // space in the queue
        "a.b." + VALID_ULID,                             // dot in the queue
        "default.01aryz6s41tsv4rrffq69g5fav",            // lower-case ulid
        "default.01ARYZ6S41TSV4RRFFQ69G5FA",             // 25 characters
        "default.01ARYZ6S41TSV4RRFFQ69G5FAVX",           // 27 characters
        "default.01ARYZ6S41TSV4RRFFQ69G5FAI",            // I is not Crockford
        "default.01ARYZ6S41TSV4RRFFQ69G5FAL",            // L
        "default.01ARYZ6S41TSV4RRFFQ69G5FAO",            // O
        "default.01ARYZ6S41TSV4RRFFQ69G5FAU",            // U
        "default.01ARYZ6S41TSV4RRFFQ69G5FA-",
        " default.01ARYZ6S41TSV4RRFFQ69G5FAV",
        "default.01ARYZ6S41TSV4RRFFQ69G5FAV ",
    })
    void parseRejectsWhatCannotBeAnId(String text) {
        assertThat(JobId.parse(text)).isEmpty();
    }

    @Test
    void parseRejectsAQueueNameLongerThan64Characters() {
        assertThat(JobId.parse("a".repeat(64) + "." + VALID_ULID)).isPresent();
        assertThat(JobId.parse("a".repeat(65) + "." + VALID_ULID)).isEmpty();
    }

    @Test
    void theConstructorRejectsInvalidParts() {
        assertThatIllegalArgumentException().isThrownBy(() -> new JobId("Bad Queue", VALID_ULID));
        assertThatIllegalArgumentException().isThrownBy(() -> new JobId(null, VALID_ULID));
        assertThatIllegalArgumentException().isThrownBy(() -> new JobId("default", "not-a-ulid"));
        assertThatIllegalArgumentException().isThrownBy(() -> JobId.newId("Bad Queue", 0));
    }

    @Test
    void isUlid() {
        assertThat(JobId.isUlid(VALID_ULID)).isTrue();
        assertThat(JobId.isUlid(null)).isFalse();
        assertThat(JobId.isUlid("")).isFalse();
        assertThat(JobId.isUlid(VALID_ULID.toLowerCase())).isFalse();
        assertThat(JobId.isUlid("default." + VALID_ULID)).isFalse();
        // Crockford's alphabet leaves out I, L, O and U; nothing outside it passes, however high its code
        for (char c : "ILOU~[@/ é\u0100\uffff".toCharArray()) {
            assertThat(JobId.isUlid(VALID_ULID.substring(0, 25) + c)).as("last char " + c).isFalse();
        }
    }

    private static long decodeTime(String ulid) {
        long millis = 0;
        for (int i = 0; i < 10; i++) {
            millis = (millis << 5) | CROCKFORD.indexOf(ulid.charAt(i));
        }
        return millis;
    }
}
