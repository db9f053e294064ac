package dev.conveyor.schedule;

import static dev.conveyor.testing.Jobs.post;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.conveyor.testing.Jobs;
import dev.conveyor.testing.LogCapture;
import dev.conveyor.testing.RedisNodes;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.core.Vertx;

/** While Redis does not answer, the firing loop logs once, keeps trying, and fires again once Redis is back. */
@QuarkusTest
class ScheduleOutageTest {

    @Inject
    Vertx vertx;

    @Test
    void anOutageIsLoggedOnceAndSchedulesFireAfterIt() {
        try (RedisNodes nodes = new RedisNodes(vertx); LogCapture log = LogCapture.of(ScheduleFirer.class.getName())) {
            // Redis holds every script call (they may write) until UNPAUSE, beyond conveyor.queue.redis-timeout (2 s)
            nodes.sendToEach("CLIENT", "PAUSE", "30000", "WRITE");
            try {
                Jobs.eventually().until(() -> log.lines().stream().anyMatch(line -> line.contains("cannot read due ticks")));
            } finally {
                nodes.sendToEach("CLIENT", "UNPAUSE");
            }
            Jobs.eventually().until(() -> log.lines().stream().anyMatch(line -> line.contains("Redis answers again")));
            assertThat(log.lines()).filteredOn(line -> line.contains("cannot read due ticks")).hasSize(1);
            assertThat(log.lines()).filteredOn(line -> line.contains("Redis answers again")).hasSize(1);
        }
        String name = uniqueQueue("s");
        post("/schedules", Map.of("name", name, "every", "PT1S", "job", Map.of("type", "echo", "queue", name)))
                .then().statusCode(201);
        try {
            Jobs.eventually().until(() -> !Jobs.listAll(Map.of("queue", name)).isEmpty());
        } finally {
            given().delete("/schedules/" + name).then().statusCode(204);
        }
    }
}
