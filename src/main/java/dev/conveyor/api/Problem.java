package dev.conveyor.api;

import java.net.URI;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An RFC 9457 problem body ({@code application/problem+json}). {@code errors} names each bad field; {@code extra}
 * carries problem-specific members such as the status of a job.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(URI type, String title, int status, String detail, String instance, List<FieldError> errors,
        @com.fasterxml.jackson.annotation.JsonIgnore Map<String, Object> extra) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One invalid field: {@code field} is its JSON path in the request ({@code priority}, {@code jobs[2].payload.ms}). */
    @RegisterForReflection
    public record FieldError(String field, String message) {
    }

    @JsonAnyGetter
    public Map<String, Object> extraMembers() {
        return extra == null ? Map.of() : extra;
    }
}
