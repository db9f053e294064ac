package dev.conveyor.http;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A job's payload as views show it: the values of credential headers in its {@code headers} replaced. */
public final class RedactedPayload {

    public static final String REDACTED = "[redacted]";
    private static final ObjectMapper JSON = new ObjectMapper();

    private RedactedPayload() {
    }

    /** The payload JSON with credential header values redacted; unchanged (same string) when it has none. */
    public static String of(String payloadJson) {
        if (payloadJson == null || !payloadJson.contains("\"headers\"")) {
            return payloadJson;
        }
        try {
            JsonNode payload = JSON.readTree(payloadJson);
            if (!(payload.path("headers") instanceof ObjectNode headers)) {
                return payloadJson;
            }
            boolean changed = false;
            for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> header = it.next();
                if (header.getValue().isTextual() && HeaderRules.isCredential(header.getKey())) {
                    header.setValue(JSON.getNodeFactory().textNode(REDACTED));
                    changed = true;
                }
            }
            return changed ? JSON.writeValueAsString(payload) : payloadJson;
        } catch (JsonProcessingException e) {
            return payloadJson;
        }
    }
}
