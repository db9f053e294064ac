package dev.conveyor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.conveyor.testing.AccessMatrix;
import dev.conveyor.testing.TestKeys;
import io.restassured.builder.RequestSpecBuilder;
import io.restassured.specification.RequestSpecification;

/** Access control of the packaged jar, where it is on by default: the whole matrix, and a process with no keys. */
class AccessControlIT {

    @RegisterExtension
    final Processes processes = new Processes();

    @Test
    void everyEndpointAnswersEveryCallerAsTheTableSays() throws Exception {
        RedisProcess redis = processes.startRedis();
        var keys = TestKeys.newFile(AccessMatrix.keys());
        AppProcess app = processes.start("all", AppProcess.Role.ALL, redis,
                Processes.env("CONVEYOR_AUTH_KEYS_FILE", keys.toString())).awaitReady(Duration.ofSeconds(60));
        RequestSpecification base = new RequestSpecBuilder().setBaseUri(app.api("").toString()).build();

        String id = AccessMatrix.succeededJob(base);

        assertThat(AccessMatrix.mismatches(base, id)).isEmpty();
    }

    @Test
    void withNoCredentialConfiguredTheProbesWorkEveryApiRequestIsRefusedAndTheLogSaysWhy() throws Exception {
        RedisProcess redis = processes.startRedis();
        AppProcess app = processes.start("all", AppProcess.Role.ALL, redis, Processes.env("CONVEYOR_AUTH_KEYS_FILE", ""))
                .awaitReady(Duration.ofSeconds(60));
        RequestSpecification base = new RequestSpecBuilder().setBaseUri(app.api("").toString()).build();

        for (String token : new String[] {null, TestKeys.ADMIN, "a.b.c"}) {
            var request = io.restassured.RestAssured.given(base);
            if (token != null) {
                request.header("Authorization", TestKeys.bearer(token));
            }
            request.when().get("/queues").then().statusCode(401);
        }
        assertThat(app.healthStatus("/q/health/live")).isEqualTo(200);
        assertThat(Files.readString(app.log())).contains("no credential is configured")
                .contains("every API request is refused");
    }
}
