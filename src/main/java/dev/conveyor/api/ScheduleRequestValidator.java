package dev.conveyor.api;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.conveyor.job.NewJob;
import dev.conveyor.role.ApiRole;
import dev.conveyor.schedule.CatchUp;
import dev.conveyor.schedule.CronTiming;
import dev.conveyor.schedule.Overlap;
import dev.conveyor.schedule.ScheduleDefinition;
import dev.conveyor.schedule.SchedulesConfig;

/**
 * Checks a schedule request and builds its definition; every problem is reported at once (422 naming each field,
 * the job's as {@code job.<field>}). The job is checked as POST /jobs checks it.
 */
@Singleton
@ApiRole
public class ScheduleRequestValidator {

    private static final String UTC = "UTC";

    private final JobRequestValidator jobs;
    private final SchedulesConfig config;
    private final ObjectMapper mapper;

    ScheduleRequestValidator(JobRequestValidator jobs, SchedulesConfig config, ObjectMapper mapper) {
        this.jobs = jobs;
        this.config = config;
        this.mapper = mapper;
    }

    /**
     * @param pathName the name in the path (PUT), or null (POST)
     * @param createdAt the creation time to keep (a replaced schedule's), or null for now
     * @return the definition and the job its ticks enqueue
     */
    public Checked validate(ScheduleRequest request, String pathName, Instant createdAt, Instant now) {
        if (request == null) {
            throw ProblemException.invalid("body", "must be a schedule object");
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        String name = request.name() == null ? pathName : request.name();
        if (name == null) {
            errors.add(new Problem.FieldError("name", "is required"));
        } else if (!name.matches(ScheduleRequest.NAME_RULE)) {
            errors.add(new Problem.FieldError("name", "must be 1 to 64 of A-Z a-z 0-9 . _ -"));
        } else if (pathName != null && !pathName.equals(name)) {
            errors.add(new Problem.FieldError("name", "differs from the name in the path"));
        }
        String timezone = request.timezone() == null ? UTC : request.timezone();
        boolean zoneValid = ZoneId.getAvailableZoneIds().contains(timezone);
        if (!zoneValid) {
            errors.add(new Problem.FieldError("timezone", "must be an IANA time zone, such as Europe/Berlin or UTC"));
        }
        checkTiming(request, zoneValid ? ZoneId.of(timezone) : ZoneId.of(UTC), now, errors);
        Overlap overlap = request.overlap() == null ? Overlap.ALLOW : Overlap.fromWireName(request.overlap());
        if (overlap == null) {
            errors.add(new Problem.FieldError("overlap", "must be allow or skip"));
        }
        CatchUp catchUp = request.catchUp() == null ? CatchUp.NONE : CatchUp.fromWireName(request.catchUp());
        if (catchUp == null) {
            errors.add(new Problem.FieldError("catchUp", "must be none or latest"));
        }
        NewJob job = checkJob(request.job(), errors);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        JsonNode jobJson = withoutNulls(mapper.valueToTree(request.job()));
        ScheduleDefinition definition = new ScheduleDefinition(name, request.cron(), request.every(), timezone, jobJson,
                overlap.wireName(), catchUp.wireName(), createdAt == null ? now : createdAt, now);
        return new Checked(definition, job);
    }

    /** A valid request: what is stored, and the job it fires (for its queue). */
    @RegisterForReflection
    public record Checked(ScheduleDefinition definition, NewJob job) {
    }

    private void checkTiming(ScheduleRequest request, ZoneId zone, Instant now, List<Problem.FieldError> errors) {
        if (request.cron() == null && request.every() == null) {
            errors.add(new Problem.FieldError("cron", "give cron or every"));
        } else if (request.cron() != null && request.every() != null) {
            errors.add(new Problem.FieldError("every", "give either cron or every, not both"));
        } else if (request.cron() != null) {
            try {
                if (CronTiming.parse(request.cron(), zone).nextAfter(now).isEmpty()) {
                    errors.add(new Problem.FieldError("cron", "never fires"));
                }
            } catch (IllegalArgumentException e) {
                errors.add(new Problem.FieldError("cron", e.getMessage()));
            }
        } else {
            Duration every = TimeText.duration(request.every());
            if (every == null || every.isNegative() || every.isZero()) {
                errors.add(new Problem.FieldError("every", "must be an ISO-8601 duration above zero, such as PT15M"));
            } else if (every.compareTo(config.minInterval()) < 0) {
                errors.add(new Problem.FieldError("every", "must be at least " + TimeText.text(config.minInterval())
                        + " (conveyor.schedules.min-interval)"));
            }
        }
    }

    private NewJob checkJob(JobRequest job, List<Problem.FieldError> errors) {
        if (job == null) {
            errors.add(new Problem.FieldError("job", "must be a job object"));
            return null;
        }
        String whenRule = "is not allowed in a schedule's job: each tick decides when its job runs";
        if (job.runAt() != null) {
            errors.add(new Problem.FieldError("job.runAt", whenRule));
        }
        if (job.delay() != null) {
            errors.add(new Problem.FieldError("job.delay", whenRule));
        }
        if (job.idempotencyKey() != null) {
            errors.add(new Problem.FieldError("job.idempotencyKey", "is not allowed in a schedule's job: each tick's "
                    + "job has a key of its own"));
        }
        if (job.unique() != null) {
            errors.add(new Problem.FieldError("job.unique", "is not allowed in a schedule's job: overlap skip keeps "
                    + "a schedule's jobs from piling up"));
        }
        return jobs.validate(job, null, "job.", errors);
    }

    /** The job as the client wrote it, without the members it left out. */
    private static JsonNode withoutNulls(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getValue().isNull()) {
                    fields.remove();
                } else if (!"payload".equals(field.getKey())) {
                    withoutNulls(field.getValue());
                }
            }
        }
        return node;
    }
}
