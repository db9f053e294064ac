package dev.conveyor.testing;

import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import io.restassured.response.ValidatableResponse;

/** Checks of the RFC 9457 problem bodies every error answer of the API carries. */
public final class Problems {

    public static final String PROBLEM_JSON = "application/problem+json";

    private Problems() {
    }

    /** Checks the RFC 9457 shape every error answer has. */
    public static ValidatableResponse assertProblem(ValidatableResponse response, int status) {
        return response.statusCode(status)
                .contentType(startsWith(PROBLEM_JSON))
                .body("type", startsWith("https://conveyor.dev/problems/"))
                .body("title", not(emptyOrNullString()))
                .body("status", equalTo(status))
                .body("detail", not(emptyOrNullString()));
    }

    /** A 422 validation problem whose errors name {@code field} (with a message). */
    public static ValidatableResponse assertInvalid(ValidatableResponse response, String field) {
        return assertProblem(response, 422)
                .body("type", equalTo("https://conveyor.dev/problems/validation"))
                .body("errors", notNullValue())
                .body("errors", everyItem(hasKey("field")))
                .body("errors", everyItem(hasKey("message")))
                .body("errors.field", hasItem(field))
                .body("errors.find { it.field == '" + field + "' }.message", not(emptyOrNullString()));
    }
}
