package dev.conveyor.schedule;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A schedule's last handled tick (its stored JSON): the job it fired, or why it fired none ({@code skipped}:
 * {@code overlap}, {@code missed}, {@code invalid}, {@code refused}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LastRun(Instant scheduledFor, String jobId, Instant firedAt, String skipped) {
}
