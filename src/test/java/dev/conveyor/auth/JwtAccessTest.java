package dev.conveyor.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.conveyor.testing.AccessMatrix;
import dev.conveyor.testing.JwtOn;
import dev.conveyor.testing.TestKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.smallrye.jwt.build.Jwt;

/** JWT bearer tokens: roles from groups, queues from the queues claim, and every way a token can be wrong. */
@QuarkusTest
@TestProfile(JwtOn.class)
class JwtAccessTest {

    @Test
    void aTokenWithSubmitForAQueueMayEnqueueThereAndNowhereElse() {
        String token = token("billing-service", Set.of("submit"), List.of(AccessMatrix.QUEUE));

        enqueue(token, AccessMatrix.QUEUE, null).then().statusCode(201);
        enqueue(token, AccessMatrix.OTHER_QUEUE, null).then().statusCode(403)
                .body("type", equalTo("https://conveyor.dev/problems/forbidden-queue"));
        as(token).get("/queues").then().statusCode(403);
    }

    @Test
    void rolesComeFromGroupsAndQueuesFromTheClaim() {
        String reader = token("dashboard", Set.of("read"), List.of("*"));
        String manager = token("ops", Set.of("manage"), List.of(AccessMatrix.QUEUE));

        as(reader).get("/queues").then().statusCode(200);
        as(reader).post("/queues/" + AccessMatrix.QUEUE + "/pause").then().statusCode(403);
        as(manager).post("/queues/" + AccessMatrix.QUEUE + "/pause").then().statusCode(200);
        as(manager).post("/queues/" + AccessMatrix.QUEUE + "/resume").then().statusCode(200);
        as(manager).post("/queues/" + AccessMatrix.OTHER_QUEUE + "/pause").then().statusCode(403);
    }

    @Test
    void expiredForeignOrWronglyIssuedTokensGet401() throws Exception {
        var foreign = KeyPairGenerator.getInstance("RSA");
        foreign.initialize(2048);
        String expired = Jwt.issuer(JwtOn.ISSUER).subject("late").groups(Set.of("admin"))
                .issuedAt(Instant.now().minusSeconds(7200)).expiresAt(Instant.now().minusSeconds(3600))
                .sign(JwtOn.signingKey());
        String signedByOthers = Jwt.issuer(JwtOn.ISSUER).subject("mallory").groups(Set.of("admin"))
                .sign(foreign.generateKeyPair().getPrivate());
        String otherIssuer = Jwt.issuer("https://elsewhere.test").subject("eve").groups(Set.of("admin"))
                .sign(JwtOn.signingKey());

        for (String token : List.of(expired, signedByOthers, otherIssuer, "not.a.jwt")) {
            as(token).get("/queues").then().statusCode(401).contentType(startsWith("application/problem+json"))
                    .header("WWW-Authenticate", startsWith("Bearer"));
        }
    }

    @Test
    void aTokenAndAKeyUsingTheSameIdempotencyKeyGetTwoJobs() {
        String token = token("matrix-submit", Set.of("submit"), List.of(AccessMatrix.QUEUE));
        String key = "same-" + System.nanoTime();

        String byKey = enqueue(AccessMatrix.SUBMIT, AccessMatrix.QUEUE, key).then().statusCode(201)
                .extract().path("id");

        enqueue(token, AccessMatrix.QUEUE, key).then().statusCode(201).body("id", not(equalTo(byKey)));
        enqueue(TestKeys.ADMIN, AccessMatrix.QUEUE, key).then().statusCode(201).body("id", not(equalTo(byKey)));
    }

    private static String token(String subject, Set<String> groups, List<String> queues) {
        return Jwt.issuer(JwtOn.ISSUER).subject(subject).groups(groups).claim("queues", queues)
                .expiresIn(600).sign(JwtOn.signingKey());
    }

    private static io.restassured.specification.RequestSpecification as(String token) {
        return given().header("Authorization", TestKeys.bearer(token)).when();
    }

    private static Response enqueue(String token, String queue, String idempotencyKey) {
        return as(token).contentType(ContentType.JSON).body("{\"type\":\"echo\",\"queue\":\"" + queue + "\""
                + (idempotencyKey == null ? "" : ",\"idempotencyKey\":\"" + idempotencyKey + "\"") + "}")
                .post("/jobs");
    }
}
