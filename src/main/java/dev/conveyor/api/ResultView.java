package dev.conveyor.api;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonRawValue;

/** The answer to {@code GET /jobs/{id}/result}. */
public record ResultView(
        @Schema(required = true, pattern = JobView.ID_PATTERN) String id,
        @Schema(required = true, enumeration = "succeeded") String status,
        @Schema(required = true, type = SchemaType.OBJECT, nullable = true, description = "The handler's result: see "
                + "the job type's result schema, such as SleepResult.") @JsonRawValue String result) {
}
