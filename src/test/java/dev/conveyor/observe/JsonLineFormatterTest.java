package dev.conveyor.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class JsonLineFormatterTest {

    @Test
    void aRecordIsOneLineOfJsonWithItsFormattedMessage() throws Exception {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, "job %s outcome=%s \"quoted\"", ExtLogRecord.FormatStyle.PRINTF,
                "dev.conveyor.worker.JobRunner");
        record.setParameters(new Object[] { "default.01ARZ3NDEKTSV4RRFFQ69G5FAV", "succeeded" });
        record.setLoggerName("dev.conveyor.worker.JobRunner");
        record.setThrown(new IllegalStateException("boom"));

        String line = new JsonLineFormatter().format(record);

        assertThat(line).endsWith(System.lineSeparator());
        assertThat(line.strip()).doesNotContain("\n");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.get("level").asText()).isEqualTo("INFO");
        assertThat(json.get("logger").asText()).isEqualTo("dev.conveyor.worker.JobRunner");
        assertThat(json.get("message").asText())
                .isEqualTo("job default.01ARZ3NDEKTSV4RRFFQ69G5FAV outcome=succeeded \"quoted\"");
        assertThat(json.get("exception").asText()).contains("IllegalStateException: boom");
        assertThat(json.get("timestamp").asText()).endsWith("Z");
    }
}
