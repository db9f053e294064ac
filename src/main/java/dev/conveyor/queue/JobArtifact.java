package dev.conveyor.queue;

/**
 * A job's artifact as read from its hash: {@code content} is null when the job has none, and {@code jobFound} false
 * when there is no such job (never was, or expired).
 */
public record JobArtifact(boolean jobFound, String name, String type, byte[] content) {

    static final JobArtifact NO_JOB = new JobArtifact(false, null, null, null);

    public boolean present() {
        return content != null;
    }
}
