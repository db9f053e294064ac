package dev.conveyor.api;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An RFC 9457 problem body ({@code application/problem+json}). {@code errors} names each bad field; {@code extra}
 * carries problem-specific members such as the status of a job.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Problem", description = "An RFC 9457 problem (application/problem+json).", properties = {
        @SchemaProperty(name = "jobId", type = SchemaType.STRING, pattern = JobView.ID_PATTERN, description = "The job concerned, such as the "
                + "one holding an idempotency key."),
        @SchemaProperty(name = "jobStatus", type = SchemaType.STRING, enumeration = { "scheduled", "queued", "running", "retrying", "succeeded",
                "failed", "cancelled" }, description = "The status of the job concerned."),
        @SchemaProperty(name = "jobIds", type = SchemaType.ARRAY, implementation = String.class, description = "The jobs concerned, in request order "
                + "(a batch whose outcome is unknown)."),
        @SchemaProperty(name = "done", type = SchemaType.INTEGER, minimum = "0", description = "Jobs a bulk action "
                + "on a queue handled before Redis failed.") })
public record Problem(
        @Schema(required = true, format = "uri", description = "https://conveyor.dev/problems/<kind>; see docs/api.md.")
        URI type,
        @Schema(required = true) String title,
        @Schema(required = true, minimum = "400", maximum = "599") int status,
        @Schema(required = true) String detail,
        @Schema(description = "The request path.") String instance,
        @Schema(description = "Each invalid field.") List<FieldError> errors,
        @Schema(hidden = true) @com.fasterxml.jackson.annotation.JsonIgnore Map<String, Object> extra) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One invalid field: {@code field} is its JSON path in the request ({@code priority}, {@code jobs[2].payload.ms}). */
    @RegisterForReflection
    public record FieldError(@Schema(required = true) String field, @Schema(required = true) String message) {
    }

    @JsonAnyGetter
    @Schema(hidden = true)
    public Map<String, Object> extraMembers() {
        return extra == null ? Map.of() : extra;
    }
}
