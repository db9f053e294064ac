package dev.conveyor.api;

import java.util.Locale;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.media.Schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A schema object of the OpenAPI document read from JSON text: how job handlers, which know nothing of OpenAPI,
 * describe their payloads and results. Reads the keywords those schemas need; any other is refused, so that a
 * handler's schema never loses a rule silently.
 */
final class SchemaJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SchemaJson() {
    }

    /** @throws IllegalArgumentException when the text is not JSON or holds an unsupported keyword */
    static Schema read(String json) {
        try {
            return schema(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("schema is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static Schema schema(JsonNode node) {
        Schema schema = OASFactory.createSchema();
        node.fields().forEachRemaining(field -> apply(schema, field.getKey(), field.getValue()));
        return schema;
    }

    private static void apply(Schema schema, String keyword, JsonNode value) {
        switch (keyword) {
            case "type" -> schema.addType(Schema.SchemaType.valueOf(value.asText().toUpperCase(Locale.ROOT)));
            case "$ref" -> schema.ref(value.asText());
            case "description" -> schema.description(value.asText());
            case "format" -> schema.format(value.asText());
            case "pattern" -> schema.pattern(value.asText());
            case "minimum" -> schema.minimum(value.decimalValue());
            case "maximum" -> schema.maximum(value.decimalValue());
            case "minLength" -> schema.minLength(value.asInt());
            case "maxLength" -> schema.maxLength(value.asInt());
            case "minItems" -> schema.minItems(value.asInt());
            case "maxItems" -> schema.maxItems(value.asInt());
            case "required" -> value.forEach(name -> schema.addRequired(name.asText()));
            case "enum" -> value.forEach(item -> schema.addEnumeration(JSON.convertValue(item, Object.class)));
            case "properties" -> value.fields()
                    .forEachRemaining(property -> schema.addProperty(property.getKey(), schema(property.getValue())));
            case "items" -> schema.items(schema(value));
            case "additionalProperties" -> {
                if (value.isBoolean()) {
                    schema.additionalPropertiesBoolean(value.booleanValue());
                } else {
                    schema.additionalPropertiesSchema(schema(value));
                }
            }
            case "oneOf" -> value.forEach(item -> schema.addOneOf(schema(item)));
            case "anyOf" -> value.forEach(item -> schema.addAnyOf(schema(item)));
            default -> throw new IllegalArgumentException("unsupported schema keyword " + keyword);
        }
    }
}
