package dev.conveyor.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.conveyor.handler.SchemaPatterns;

/** A schedule as clients send it (POST /schedules, PUT /schedules/{name}). */
@Schema(name = "ScheduleRequest", additionalProperties = Schema.False.class)
public record ScheduleRequest(
        @Schema(pattern = ScheduleRequest.NAME_PATTERN, description = "1 to 64 of A-Z a-z 0-9 . _ -; required by "
                + "POST, optional in PUT (then equal to the path's name).", examples = "nightly-report")
        String name,
        @Schema(description = "A Unix cron expression of 5 fields (minute hour day-of-month month day-of-week), "
                + "evaluated in timezone. Exactly one of cron and every.", examples = "0 2 * * *")
        String cron,
        @Schema(format = "duration", pattern = SchemaPatterns.DURATION, description = "A fixed interval (ISO-8601 "
                + "duration, at least conveyor.schedules.min-interval), counted from when the schedule was saved. "
                + "Exactly one of cron and every.", examples = "PT15M")
        String every,
        @Schema(description = "IANA time zone of the cron expression; default UTC.", examples = "Europe/Berlin")
        String timezone,
        @Schema(required = true, description = "The job each tick enqueues: a job request as for POST /jobs, "
                + "without idempotencyKey, unique, runAt and delay (the tick decides when; each tick's job is idempotent).")
        JobRequest job,
        @Schema(enumeration = { "allow", "skip" }, description = "skip: no new job while the last one fired is still "
                + "scheduled, queued, running or retrying (the tick is recorded as skipped). Default allow.")
        String overlap,
        @Schema(enumeration = { "none", "latest" }, description = "Ticks missed by more than "
                + "conveyor.schedules.misfire-grace (all processes down): none skips them, latest fires the latest "
                + "one once. Default none.")
        String catchUp) {

    static final String NAME_RULE = "[A-Za-z0-9._-]{1,64}";
    static final String NAME_PATTERN = "^" + NAME_RULE + "$";
}
