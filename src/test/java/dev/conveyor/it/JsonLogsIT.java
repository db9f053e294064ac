package dev.conveyor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code CONVEYOR_LOG_JSON=true}: every line the packaged application writes is one JSON object, from the very first,
 * logged before the application starts, on.
 */
class JsonLogsIT {

    @RegisterExtension
    final Processes processes = new Processes();

    @Test
    void everyLineFromTheFirstIsOneJsonObject() throws Exception {
        RedisProcess redis = processes.startRedis();
        AppProcess app = processes.start("all", AppProcess.Role.ALL, redis, Map.of("CONVEYOR_LOG_JSON", "true"));
        app.awaitReady(Duration.ofSeconds(60));
        app.stop();

        List<String> lines = Files.readAllLines(app.log()).stream().filter(line -> !line.isBlank()).toList();
        assertThat(lines).isNotEmpty();
        for (String line : lines) {
            JsonNode json = Processes.JSON.readTree(line);
            assertThat(json.isObject()).as(line).isTrue();
            assertThat(json.path("level").asText()).as(line).isNotEmpty();
            assertThat(json.has("message")).as(line).isTrue();
        }
        assertThat(lines).anyMatch(line -> line.contains("\"loggerName\":\"io.quarkus\"") && line.contains("started in"));
    }
}
