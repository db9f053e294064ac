package dev.conveyor.handler;

import java.util.regex.Pattern;

/**
 * One file a handler attaches to its job (a report, an export): stored with the job, served by
 * {@code GET /jobs/{id}/artifact} until the job expires. {@code name} is the file name clients see; {@code type} its
 * media type ({@code application/pdf}, {@code text/csv; charset=utf-8}).
 */
public record Artifact(String name, String type, byte[] content) {

    /** Longest file name, in characters. */
    public static final int MAX_NAME = 255;

    private static final Pattern MEDIA_TYPE = Pattern.compile(
            "[A-Za-z0-9][\\w!#$&^.+-]*/[A-Za-z0-9][\\w!#$&^.+-]*(\\s*;\\s*[\\w.+-]+=[\\w.+-]+)*");

    /** @throws IllegalArgumentException for a blank or over-long name, or a type that is not a media type */
    public Artifact {
        if (name == null || name.isBlank() || name.length() > MAX_NAME) {
            throw new IllegalArgumentException("an artifact's name must be 1 to " + MAX_NAME + " characters");
        }
        if (type == null || !MEDIA_TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("an artifact's type must be a media type, not " + type);
        }
        if (content == null) {
            throw new IllegalArgumentException("an artifact's content must not be null");
        }
    }

    /** What a job's result says of its artifact. */
    public ArtifactInfo info() {
        return new ArtifactInfo(name, content.length, type);
    }
}
