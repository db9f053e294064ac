package dev.conveyor.api;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonRawValue;

/** The answer to {@code GET /jobs/{id}/result}. */
public record ResultView(String id, String status, @Schema(type = SchemaType.OBJECT) @JsonRawValue String result) {
}
