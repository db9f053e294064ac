package dev.conveyor.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** A keys file's {@code rate}: read, written back, and refused with a message that shows the expected form. */
class RateTest {

    @Test
    void readsCountsPerSecondMinuteAndHour() {
        assertThat(Rate.parse("500/s")).isEqualTo(new Rate(500, Duration.ofSeconds(1)));
        assertThat(Rate.parse("20000/m")).isEqualTo(new Rate(20_000, Duration.ofMinutes(1)));
        assertThat(Rate.parse("100/h")).isEqualTo(new Rate(100, Duration.ofHours(1)));
        assertThat(Rate.parse("1/s")).isEqualTo(new Rate(1, Duration.ofSeconds(1)));
        assertThat(Rate.parse("1000000000/h")).isEqualTo(new Rate(1_000_000_000L, Duration.ofHours(1)));
    }

    @Test
    void writesTheTextBack() {
        for (String text : new String[] { "500/s", "20000/m", "100/h", "1/s", "1000000000/m" }) {
            assertThat(Rate.parse(text)).hasToString(text);
        }
        assertThat(Rate.parse("007/s")).as("leading zeros read, not kept").hasToString("7/s");
    }

    @Test
    void refusesAnythingElseSayingWhatARateLooksLike() {
        for (String text : new String[] { "", "500", "500/", "/s", "500/d", "500/S", "500/sec", "500 /s", " 500/s",
                "500/s ", "0/s", "1000000001/s", "99999999999/s", "-5/s", "1.5/s", "500/1s", "5e2/s", "500//s" }) {
            assertThatThrownBy(() -> Rate.parse(text)).as("\"%s\"", text)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("rate must look like 500/s, 20000/m or 100/h")
                    .hasMessageContaining("\"" + text + "\"");
        }
        assertThatThrownBy(() -> Rate.parse(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rate must look like 500/s");
    }

    @Test
    void aRateIsPerSecondMinuteOrHourWithACountInRange() {
        assertThatThrownBy(() -> new Rate(10, Duration.ofSeconds(2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rate must look like");
        assertThatThrownBy(() -> new Rate(0, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Rate(Rate.MAX_COUNT + 1, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Rate(1, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
