package dev.conveyor.api;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * JSON may carry text that is not Unicode: a lone UTF-16 surrogate such as {@code "\ud800"}. Redis stores UTF-8,
 * so such text would come back changed, or not as JSON at all; requests holding it are refused instead.
 */
final class UnicodeText {

    static final String RULE = "must be valid Unicode text (it holds a lone surrogate)";

    private UnicodeText() {
    }

    static boolean isValid(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The path of the first string in this JSON value that is not valid text ({@code payload.a[2].b}), the path of
     * the object when one of its field names is not; null when all is valid.
     */
    static String firstInvalid(JsonNode node, String path) {
        if (node.isTextual()) {
            return isValid(node.textValue()) ? null : path;
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String found = firstInvalid(node.get(i), path + "[" + i + "]");
                if (found != null) {
                    return found;
                }
            }
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                String found = isValid(field.getKey()) ? firstInvalid(field.getValue(), path + "." + field.getKey())
                        : path;
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
