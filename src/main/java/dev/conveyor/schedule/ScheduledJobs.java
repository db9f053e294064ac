package dev.conveyor.schedule;

import com.fasterxml.jackson.databind.JsonNode;

import dev.conveyor.job.NewJob;

/** Turns a schedule's job request into the job a tick enqueues, checked as a client's request would be. */
public interface ScheduledJobs {

    /** @throws IllegalArgumentException naming what is wrong, when the request is no longer valid */
    NewJob jobOf(JsonNode request);
}
