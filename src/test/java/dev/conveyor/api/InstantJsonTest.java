package dev.conveyor.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;

/** The application's mapper writes instants with the remembering serializer, and as Jackson's own would. */
@QuarkusTest
class InstantJsonTest {

    @Inject
    ObjectMapper mapper;

    @Test
    void writesEachInstantAsItsIsoTextAlsoWhenTheyAlternate() throws Exception {
        assertThat(mapper.getSerializerProviderInstance().findValueSerializer(Instant.class))
                .isInstanceOf(InstantJson.Serializer.class);

        for (String text : new String[] { "2026-11-24T04:10:49.906Z", "2026-11-24T04:10:49Z",
                "2026-11-24T04:10:49.906Z", "2026-11-24T04:10:49.906Z", "1970-01-01T00:00:00Z",
                "2026-11-24T04:10:50.000123Z" }) {
            assertThat(mapper.writeValueAsString(Instant.parse(text))).isEqualTo("\"" + text + "\"");
        }
    }
}
