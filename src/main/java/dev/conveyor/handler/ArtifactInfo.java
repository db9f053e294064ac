package dev.conveyor.handler;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A stored artifact as a job's result names it: {@code {"name": ..., "size": bytes, "type": media type}}. */
@RegisterForReflection
public record ArtifactInfo(String name, long size, String type) {

    /** The schema of this record in the API's document, for handlers' result schemas. */
    public static final String SCHEMA = """
            {"type": "object", "required": ["name", "size", "type"],
             "description": "The job's artifact, served by GET /jobs/{id}/artifact.", "properties": {
              "name": {"type": "string", "description": "File name."},
              "size": {"type": "integer", "format": "int64", "description": "Bytes."},
              "type": {"type": "string", "description": "Media type."}}}""";
}
