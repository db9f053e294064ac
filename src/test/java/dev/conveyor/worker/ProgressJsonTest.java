package dev.conveyor.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

import dev.conveyor.handler.JobContext;

/** What a handler may report as progress, and the JSON a report is stored as. */
class ProgressJsonTest {

    private static final ObjectWriter WRITER = new ObjectMapper().writer();
    private static final Instant AT = Instant.parse("2026-11-27T21:15:30.123Z");

    record Rows(int done, int total) {
    }

    private final List<String> kept = new ArrayList<>();
    private final JobContext context = new JobContext("t.1", "t", 1, 3, Instant.now().plusSeconds(60),
            (percent, details) -> kept.add(ProgressJson.of(percent, details, WRITER, AT)));

    @Test
    void aPercentageADetailsObjectOrBothAreStoredWithTheTimeOfTheReport() {
        // the same JSON as GET /jobs/{id} shows, so that events carry it as it is
        context.progress(40);
        context.progress(40, Map.of("rows", 400));
        context.progress(new Rows(3, 10));
        context.progress(0);
        context.progress(100);

        assertThat(kept).containsExactly(
                "{\"percent\":40,\"updatedAt\":\"2026-11-27T21:15:30.123Z\"}",
                "{\"percent\":40,\"details\":{\"rows\":400},\"updatedAt\":\"2026-11-27T21:15:30.123Z\"}",
                "{\"details\":{\"done\":3,\"total\":10},\"updatedAt\":\"2026-11-27T21:15:30.123Z\"}",
                "{\"percent\":0,\"updatedAt\":\"2026-11-27T21:15:30.123Z\"}",
                "{\"percent\":100,\"updatedAt\":\"2026-11-27T21:15:30.123Z\"}");
    }

    @Test
    void aPercentageOutOfRangeIsRefusedAtTheCall() {
        assertThatThrownBy(() -> context.progress(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("progress must be between 0 and 100 percent, not -1");
        assertThatThrownBy(() -> context.progress(101, Map.of("a", 1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("progress must be between 0 and 100 percent, not 101");
        assertThat(kept).isEmpty();
    }

    @Test
    void detailsUpToTheLimitAreStoredAndLargerOnesRefused() {
        // {"d":"..."} is 8 bytes around the text
        String fits = "x".repeat(JobContext.MAX_PROGRESS_DETAILS - 8);
        context.progress(50, Map.of("d", fits));
        assertThat(kept).hasSize(1);

        assertThatThrownBy(() -> context.progress(50, Map.of("d", fits + "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("progress details too large: 4097 bytes of JSON; at most 4096 are stored");
        // measured in UTF-8 bytes, not characters
        assertThatThrownBy(() -> context.progress(Map.of("d", "é".repeat(2100))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("progress details too large: 4208 bytes");
        assertThat(kept).hasSize(1);
    }

    @Test
    void detailsMustBeAJsonObject() {
        assertThatThrownBy(() -> context.progress(List.of(1, 2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("progress details must be a JSON object (a Map or a record), not [1,2]");
        assertThatThrownBy(() -> context.progress(10, "text")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("progress details must be a JSON object (a Map or a record), not \"text\"");
        assertThatThrownBy(() -> context.progress(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("progress details must not be null");
        assertThatThrownBy(() -> context.progress(new Object())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("progress details are not serializable as JSON: ");
        assertThat(kept).isEmpty();
    }

    @Test
    void aContextBuiltWithoutAReporterStillChecksButKeepsNothing() {
        JobContext plain = new JobContext("t.1", "t", 1, 3, Instant.now().plusSeconds(60));
        plain.progress(30, Map.of("a", 1));
        assertThatThrownBy(() -> plain.progress(200)).isInstanceOf(IllegalArgumentException.class);
    }
}
