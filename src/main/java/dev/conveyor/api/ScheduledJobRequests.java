package dev.conveyor.api;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.conveyor.job.NewJob;
import dev.conveyor.schedule.ScheduledJobs;

/**
 * A schedule's job request, checked again when a tick fires it (a job type may have gone since the schedule was
 * saved). In every role: schedules fire from worker processes too.
 */
@Singleton
public class ScheduledJobRequests implements ScheduledJobs {

    private final JobRequestValidator validator;
    private final ObjectMapper mapper;

    ScheduledJobRequests(JobRequestValidator validator, ObjectMapper mapper) {
        this.validator = validator;
        this.mapper = mapper;
    }

    @Override
    public NewJob jobOf(JsonNode request) {
        JobRequest job;
        try {
            job = mapper.treeToValue(request, JobRequest.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a job request: " + e.getOriginalMessage());
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        NewJob checked = validator.validate(job, null, "job.", errors);
        if (checked == null) {
            throw new IllegalArgumentException(errors.stream().map(error -> error.field() + " " + error.message())
                    .collect(Collectors.joining("; ")));
        }
        return checked;
    }
}
