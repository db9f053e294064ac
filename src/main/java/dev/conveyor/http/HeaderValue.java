package dev.conveyor.http;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A request header's value in a job: the value itself ({@code "x-source": "conveyor"}), or the name of a secret
 * that the worker looks up in its configuration ({@code "Authorization": {"secret": "crm-token"}}), so that the value
 * is never stored with the job. Any other JSON reads as neither (both null), which the payload's checks report.
 */
@RegisterForReflection
public record HeaderValue(String value, String secret) {

    public static HeaderValue literal(String value) {
        return new HeaderValue(value, null);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static HeaderValue of(JsonNode json) {
        if (json.isValueNode() && !json.isNull()) {
            return literal(json.asText());
        }
        if (json.isObject() && json.size() == 1 && json.path("secret").isTextual()) {
            return new HeaderValue(null, json.get("secret").textValue());
        }
        return new HeaderValue(null, null);
    }

    boolean valid() {
        return value != null || secret != null;
    }
}
