package dev.conveyor.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.conveyor.testing.AccessMatrix;
import dev.conveyor.testing.AuthOn;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;

/** Every endpoint x every kind of caller, in the test application (the packaged jar: AccessMatrixIT). */
@QuarkusTest
@TestProfile(AuthOn.class)
class AccessMatrixTest {

    @Test
    void everyEndpointAnswersEveryCallerAsTheTableSays() {
        var base = new RequestSpecBuilder().setBaseUri(RestAssured.baseURI).setPort(RestAssured.port).build();
        String id = AccessMatrix.succeededJob(base);

        assertThat(AccessMatrix.mismatches(base, id)).isEmpty();
    }
}
