package dev.conveyor.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The document declares the bearer scheme (Swagger UI's Authorize button) and access control's answers. */
@QuarkusTest
class OpenApiSecurityTest {

    @Test
    void everyOperationRequiresTheBearerSchemeAndDeclaresItsRefusals() {
        JsonPath document = given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200)
                .extract().jsonPath();

        assertThat(document.getString("components.securitySchemes.bearer.type")).isEqualTo("http");
        assertThat(document.getString("components.securitySchemes.bearer.scheme")).isEqualTo("bearer");
        Map<String, Map<String, Map<String, Object>>> paths = document.getMap("paths");
        assertThat(paths).isNotEmpty();
        paths.forEach((path, operations) -> operations.forEach((method, operation) -> {
            String name = method.toUpperCase() + " " + path;
            assertThat(operation.get("security")).as(name).asString().contains("bearer");
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> responses = (Map<String, Map<String, Object>>) operation.get("responses");
            assertThat(responses).as(name).containsKeys("401", "403", "429");
            assertThat(responses.get("401").get("headers")).as(name).asString().contains("WWW-Authenticate");
            assertThat(responses.get("429").get("headers")).as(name).asString().contains("Retry-After");
            assertThat(responses.get("403").get("content")).as(name).asString().contains("application/problem+json");
        }));
    }
}
