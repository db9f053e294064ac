package dev.conveyor.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/** What a bulk action on a queue did: the one count of its action, the others absent. */
@Schema(name = "BulkResult", description = "retried (POST retry-failed), deleted (DELETE jobs) or cancelled (POST "
        + "drain): how many jobs the action handled.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BulkResult(
        @Schema(minimum = "0", description = "Failed jobs queued again.") Long retried,
        @Schema(minimum = "0", description = "Finished jobs deleted.") Long deleted,
        @Schema(minimum = "0", description = "Waiting jobs cancelled.") Long cancelled) {

    static BulkResult retried(long n) {
        return new BulkResult(n, null, null);
    }

    static BulkResult deleted(long n) {
        return new BulkResult(null, n, null);
    }

    static BulkResult cancelled(long n) {
        return new BulkResult(null, null, n);
    }
}
