package dev.conveyor.worker;

import java.time.Instant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;

import dev.conveyor.handler.JobContext;
import dev.conveyor.job.Utf8;

/**
 * A handler's progress report as stored on its job and sent in its event, and as {@code GET /jobs/{id}} shows it:
 * {@code {"percent": n, "details": {...}, "updatedAt": "<ISO-8601 instant>"}} with absent parts left out. Built when
 * the handler reports, so that a refused report fails at the handler's call.
 */
final class ProgressJson {

    private static final int QUOTED_CHARS = 40;

    private ProgressJson() {
    }

    /**
     * @param percent already checked by {@link JobContext}, or null
     * @param details null, or serializable to a JSON object of at most {@link JobContext#MAX_PROGRESS_DETAILS} bytes
     * @throws IllegalArgumentException when the details are not such an object
     */
    static String of(Integer percent, Object details, ObjectWriter writer, Instant at) {
        StringBuilder json = new StringBuilder("{");
        if (percent != null) {
            json.append("\"percent\":").append(percent).append(',');
        }
        if (details != null) {
            json.append("\"details\":").append(details(details, writer)).append(',');
        }
        // Instant.toString(), as the API writes every instant
        return json.append("\"updatedAt\":\"").append(at).append("\"}").toString();
    }

    private static String details(Object details, ObjectWriter writer) {
        String json;
        try {
            json = writer.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("progress details are not serializable as JSON: "
                    + e.getOriginalMessage(), e);
        }
        if (!json.startsWith("{")) {
            throw new IllegalArgumentException("progress details must be a JSON object (a Map or a record), not "
                    + (json.length() <= QUOTED_CHARS ? json : json.substring(0, QUOTED_CHARS) + "..."));
        }
        long bytes = Utf8.length(json);
        if (bytes > JobContext.MAX_PROGRESS_DETAILS) {
            throw new IllegalArgumentException("progress details too large: " + bytes + " bytes of JSON; at most "
                    + JobContext.MAX_PROGRESS_DETAILS + " are stored");
        }
        return json;
    }
}
