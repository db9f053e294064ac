package dev.conveyor.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;

import org.eclipse.microprofile.openapi.models.media.Schema;
import org.junit.jupiter.api.Test;

/** A handler's schema text becomes a schema of the OpenAPI document, rule for rule. */
class SchemaJsonTest {

    @Test
    void readsTheKeywordsOfAPayloadSchema() {
        Schema schema = SchemaJson.read("""
                {"type": "object", "additionalProperties": false, "required": ["ms"], "properties": {
                  "ms": {"type": "integer", "format": "int64", "minimum": 0, "maximum": 86400000},
                  "mode": {"type": "string", "enum": ["fast", "slow"], "pattern": "^[a-z]+$"},
                  "tags": {"type": "array", "maxItems": 3, "items": {"type": "string", "maxLength": 10}},
                  "headers": {"type": "object", "additionalProperties": {"oneOf": [{"type": "string"},
                    {"type": "object", "required": ["secret"]}]}}}}
                """);

        assertThat(schema.getType()).containsExactly(Schema.SchemaType.OBJECT);
        assertThat(schema.getAdditionalPropertiesBoolean()).isFalse();
        assertThat(schema.getRequired()).containsExactly("ms");
        Schema ms = schema.getProperties().get("ms");
        assertThat(ms.getFormat()).isEqualTo("int64");
        assertThat(ms.getMinimum()).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(ms.getMaximum()).isEqualByComparingTo(BigDecimal.valueOf(86_400_000));
        assertThat(schema.getProperties().get("mode").getEnumeration()).isEqualTo(List.of("fast", "slow"));
        assertThat(schema.getProperties().get("mode").getPattern()).isEqualTo("^[a-z]+$");
        assertThat(schema.getProperties().get("tags").getItems().getMaxLength()).isEqualTo(10);
        assertThat(schema.getProperties().get("headers").getAdditionalPropertiesSchema().getOneOf()).hasSize(2);
    }

    @Test
    void refusesAKeywordItWouldDropAndTextThatIsNotJson() {
        assertThatThrownBy(() -> SchemaJson.read("{\"type\": \"string\", \"const\": \"x\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("const");
        assertThatThrownBy(() -> SchemaJson.read("{\"type\": "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not JSON");
    }
}
