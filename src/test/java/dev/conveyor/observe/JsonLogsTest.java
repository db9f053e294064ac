package dev.conveyor.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.handlers.ConsoleHandler;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** {@code conveyor.log.json=true} (CONVEYOR_LOG_JSON) turns every console line into one JSON object. */
@QuarkusTest
@TestProfile(JsonLogsTest.JsonLogs.class)
class JsonLogsTest {

    public static class JsonLogs implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("conveyor.log.json", "true");
        }
    }

    @Test
    void aConsoleLineIsOneJsonObjectWithItsFormattedMessage() throws Exception {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, "job %s outcome=%s \"quoted\"",
                ExtLogRecord.FormatStyle.PRINTF, "dev.conveyor.worker.JobRunner");
        record.setParameters(new Object[] { "default.01ARZ3NDEKTSV4RRFFQ69G5FAV", "succeeded" });
        record.setLoggerName("dev.conveyor.worker.JobRunner");
        record.setThrown(new IllegalStateException("boom"));

        List<Formatter> consoles = consoleFormatters(Logger.getLogger("").getHandlers(), new ArrayList<>());
        assertThat(consoles).isNotEmpty();
        for (Formatter console : consoles) {
            String line = console.format(record);
            assertThat(line.strip()).doesNotContain("\n");
            JsonNode json = new ObjectMapper().readTree(line);
            assertThat(json.path("level").asText()).isEqualTo("INFO");
            assertThat(json.path("loggerName").asText()).isEqualTo("dev.conveyor.worker.JobRunner");
            assertThat(json.path("message").asText())
                    .isEqualTo("job default.01ARZ3NDEKTSV4RRFFQ69G5FAV outcome=succeeded \"quoted\"");
            assertThat(json.path("exception").toString()).contains("IllegalStateException", "boom");
        }
    }

    private static List<Formatter> consoleFormatters(Handler[] handlers, List<Formatter> found) {
        for (Handler handler : handlers) {
            if (handler instanceof ConsoleHandler console) {
                found.add(console.getFormatter());
            }
            if (handler instanceof ExtHandler parent) {
                consoleFormatters(parent.getHandlers(), found);
            }
        }
        return found;
    }
}
