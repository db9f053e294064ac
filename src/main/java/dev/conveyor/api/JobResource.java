package dev.conveyor.api;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import dev.conveyor.auth.Caller;
import dev.conveyor.auth.Role;
import dev.conveyor.events.ResultWaits;
import dev.conveyor.handler.HandlerRegistry;
import dev.conveyor.job.Job;
import dev.conveyor.job.JobId;
import dev.conveyor.job.JobStatus;
import dev.conveyor.job.NewJob;
import dev.conveyor.job.QueueName;
import dev.conveyor.job.Utf8;
import dev.conveyor.queue.EnqueueCoalescer;
import dev.conveyor.queue.Enqueued;
import dev.conveyor.queue.JobPage;
import dev.conveyor.queue.JobStore;
import dev.conveyor.queue.QueueConfig;
import dev.conveyor.queue.QueueInspector;
import dev.conveyor.role.ApiRole;
import io.smallrye.mutiny.Uni;

@Path("/jobs")
@Tag(name = "Jobs", description = "Enqueue jobs, read them and their results, cancel and re-run them")
@Produces(MediaType.APPLICATION_JSON)
@ApiRole
public class JobResource {

    private final JobStore store;
    private final QueueInspector inspector;
    private final EnqueueCoalescer singles;
    private final JobRequestValidator validator;
    private final ApiConfig config;
    private final EnqueueMetrics metrics;
    private final QueueConfig queueConfig;
    private final Access access;
    private final ResultWaits waits;
    private final JobLookup jobs;
    private final JobViews jobViews;
    private final HandlerRegistry handlers;

    JobResource(JobStore store, QueueInspector inspector, EnqueueCoalescer singles, JobRequestValidator validator,
            ApiConfig config, EnqueueMetrics metrics, QueueConfig queueConfig, Access access, ResultWaits waits,
            JobLookup jobs, JobViews jobViews, HandlerRegistry handlers) {
        this.jobViews = jobViews;
        this.handlers = handlers;
        this.access = access;
        this.jobs = jobs;
        this.waits = waits;
        this.metrics = metrics;
        this.queueConfig = queueConfig;
        this.store = store;
        this.inspector = inspector;
        this.singles = singles;
        this.validator = validator;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.SUBMIT_NAME)
    @Operation(operationId = "enqueueJob", summary = "Enqueue a job", description = "201 with the new job; 200 with the existing job when the "
            + "idempotency key was used before by the same request, or when a job of the queue holds the unique key "
            + "(the idempotency key is checked first); 409 when the idempotency key was used by a different "
            + "request.")
    @APIResponse(responseCode = "201", description = "Created: the new job; Location names it",
            headers = @Header(name = "Location", description = "The job's URL", required = true,
                    schema = @Schema(type = SchemaType.STRING, format = "uri")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "200", description = "An existing job, nothing enqueued: the job created earlier by "
            + "the same request with this idempotency key, or the job holding the unique key; Conveyor-Existing says "
            + "which",
            headers = { @Header(name = "Location", description = "The job's URL", required = true,
                    schema = @Schema(type = SchemaType.STRING, format = "uri")),
                    @Header(name = "Conveyor-Existing", description = "idempotency: the idempotency key's job; "
                            + "unique: the job holding the unique key", required = true,
                            schema = @Schema(type = SchemaType.STRING, enumeration = { "idempotency", "unique" })) },
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "400", description = "Malformed JSON",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The idempotency key was used by a different request (member "
            + "jobId), or the queue is new and conveyor.queue.max-queues are in use (type too-many-queues)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "Body larger than conveyor.api.max-body-size",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Invalid field; errors[] names each (unknown type, bad payload, "
            + "payload over conveyor.api.max-payload-size, ...)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<JobView>> enqueue(JobRequest request,
            @Parameter(description = "Same as the idempotencyKey field", schema = @Schema(type = SchemaType.STRING,
                    pattern = JobRequest.IDEMPOTENCY_KEY_PATTERN)) @HeaderParam("Idempotency-Key") String idempotencyKey,
            @Parameter(description = WAIT_DESCRIPTION + " The answer then shows the job as it is at that moment: "
                    + "finished, or not yet.", schema = @Schema(type = SchemaType.STRING, example = "PT10S"))
            @QueryParam("wait") String wait) {
        Duration waitFor = waitFor(wait);
        return access.enter(1).chain(caller -> {
            List<Problem.FieldError> errors = new ArrayList<>();
            NewJob job = validator.validate(request, idempotencyKey, "", errors);
            if (job == null) {
                throw ProblemException.invalid(errors);
            }
            access.checkQueue(caller, job.queue(), "queue");
            return singles.enqueue(job.scopedTo(caller.name())).chain(enqueued -> {
                boolean found = enqueued.outcome() == Enqueued.Outcome.CREATED
                        || enqueued.outcome() == Enqueued.Outcome.EXISTING
                        || enqueued.outcome() == Enqueued.Outcome.UNIQUE_HELD;
                if (waitFor.isZero() || !found) {
                    return Uni.createFrom().item(answer(enqueued));
                }
                if (enqueued.outcome() == Enqueued.Outcome.CREATED) {
                    // counted (and logged) as created when it is, whatever it is at the end of the wait
                    metrics.created(enqueued.job());
                }
                return waits.awaitFinal(enqueued.job(), waitFor)
                        .map(now -> answer(new Enqueued(now, enqueued.outcome()), false));
            });
        });
    }

    /** Says why a 200 answers an enqueue with an existing job: {@code idempotency} or {@code unique}. */
    static final String EXISTING_HEADER = "Conveyor-Existing";

    static final String WAIT_DESCRIPTION = "How long to wait for the job to finish (ISO-8601 duration, at most "
            + "conveyor.api.max-wait: longer waits are cut to it); the answer comes as soon as the job is final.";

    /** The wait a request asks for, cut to conveyor.api.max-wait; 422 naming {@code wait} when it is not a duration. */
    private Duration waitFor(String wait) {
        if (wait == null) {
            return Duration.ZERO;
        }
        Duration asked = TimeText.duration(wait);
        if (asked == null || asked.isNegative()) {
            throw ProblemException.invalid("wait", "must be an ISO-8601 duration from PT0S, such as PT30S");
        }
        return asked.compareTo(config.maxWait()) > 0 ? config.maxWait() : asked;
    }

    private RestResponse<JobView> answer(Enqueued enqueued) {
        return answer(enqueued, true);
    }

    private RestResponse<JobView> answer(Enqueued enqueued, boolean count) {
        Job job = enqueued.job();
        return switch (enqueued.outcome()) {
            case CREATED -> {
                if (count) {
                    metrics.created(job);
                }
                yield RestResponse.ResponseBuilder.<JobView>created(location(job)).entity(JobView.of(job)).build();
            }
            case EXISTING -> RestResponse.ResponseBuilder.<JobView>ok(JobView.of(job)).location(location(job))
                    .header(EXISTING_HEADER, "idempotency").build();
            case UNIQUE_HELD -> RestResponse.ResponseBuilder.<JobView>ok(JobView.of(job)).location(location(job))
                    .header(EXISTING_HEADER, "unique").build();
            case CONFLICT, NOT_ENQUEUED -> throw idempotencyConflict(List.of(enqueued), "");
            case QUEUE_LIMIT -> throw queueLimit(List.of(enqueued), "");
        };
    }

    /**
     * 409 naming every job refused because its queue would be one too many. Not a 422: the same request succeeds once
     * an empty queue is deleted; not a 429: waiting alone does not help.
     */
    private ProblemException queueLimit(List<Enqueued> results, String prefix) {
        List<Problem.FieldError> errors = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i).outcome() == Enqueued.Outcome.QUEUE_LIMIT) {
                errors.add(new Problem.FieldError((prefix.isEmpty() ? "" : prefix + "[" + i + "].") + "queue",
                        "is a new queue, and there are " + queueConfig.maxQueues()
                                + " queues already (conveyor.queue.max-queues); delete an empty queue first"));
            }
        }
        return new ProblemException(409, "too-many-queues", "Too many queues", errors.get(0).field() + " "
                + errors.get(0).message(), errors, null);
    }

    /** 409 naming every job whose idempotency key was used by a different request (none was enqueued). */
    private static ProblemException idempotencyConflict(List<Enqueued> results, String prefix) {
        List<Problem.FieldError> errors = new ArrayList<>();
        String holder = null;
        for (int i = 0; i < results.size(); i++) {
            Enqueued result = results.get(i);
            if (result.outcome() != Enqueued.Outcome.CONFLICT) {
                continue;
            }
            String field = (prefix.isEmpty() ? "" : prefix + "[" + i + "].") + "idempotencyKey";
            if (result.job() == null) {
                errors.add(new Problem.FieldError(field, "is used by another job of this batch for a different request"));
            } else {
                errors.add(new Problem.FieldError(field, "belongs to job " + result.job().id()
                        + ", created by a different request"));
                holder = holder == null ? result.job().id().toString() : holder;
            }
        }
        String detail = errors.size() == 1 ? errors.get(0).field() + " " + errors.get(0).message()
                : errors.size() + " idempotency keys were used by different requests";
        return new ProblemException(409, "idempotency-conflict", "Idempotency key reused", detail, errors,
                holder == null ? null : Map.of("jobId", holder));
    }

    private static URI location(Job job) {
        return URI.create("/jobs/" + job.id());
    }

    @POST
    @Path("/batch")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.SUBMIT_NAME)
    @Operation(operationId = "enqueueJobs", summary = "Enqueue many jobs", description = "All jobs are validated first; if any is invalid, none is "
            + "enqueued and the errors name each field as jobs[i].field. Valid batches go to Redis in one round trip. "
            + "An idempotency key used before by a different request makes it a 409 and none of the batch's jobs of "
            + "that queue is enqueued (a batch is atomic per queue).")
    @APIResponse(responseCode = "201", description = "Created: the jobs in request order",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BatchView.class)))
    @APIResponse(responseCode = "400", description = "Malformed JSON",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "An idempotency key was used by a different request (nothing of "
            + "that queue was enqueued), or a queue is new and conveyor.queue.max-queues are in use (nothing was "
            + "enqueued; type too-many-queues)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "Body larger than conveyor.api.max-body-size",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Invalid jobs (including a payload over "
            + "conveyor.api.max-payload-size); errors[] names each field as jobs[i].field; nothing was enqueued",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<BatchView>> enqueueBatch(BatchRequest request) {
        if (request == null || request.jobs() == null || request.jobs().isEmpty()) {
            throw ProblemException.invalid("jobs", "must hold 1 to " + config.maxBatchSize() + " jobs");
        }
        if (request.jobs().size() > config.maxBatchSize()) {
            throw ProblemException.invalid("jobs", "holds " + request.jobs().size() + " jobs; at most "
                    + config.maxBatchSize() + " are allowed");
        }
        return access.enter(request.jobs().size()).chain(caller -> enqueueBatch(request, caller));
    }

    private Uni<RestResponse<BatchView>> enqueueBatch(BatchRequest request, Caller caller) {
        List<Problem.FieldError> errors = new ArrayList<>();
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < request.jobs().size(); i++) {
            jobs.add(validator.validate(request.jobs().get(i), null, "jobs[" + i + "].", errors));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        List<Problem.FieldError> forbidden = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            if (!caller.mayUse(jobs.get(i).queue())) {
                forbidden.add(new Problem.FieldError("jobs[" + i + "].queue", "names queue " + jobs.get(i).queue()
                        + ", which this client may not use"));
            }
            jobs.set(i, jobs.get(i).scopedTo(caller.name()));
        }
        if (!forbidden.isEmpty()) {
            throw access.forbiddenQueues(forbidden);
        }
        return store.enqueue(jobs).map(results -> {
            if (results.stream().anyMatch(result -> result.outcome() == Enqueued.Outcome.QUEUE_LIMIT)) {
                throw queueLimit(results, "jobs");
            }
            if (results.stream().anyMatch(result -> result.outcome() == Enqueued.Outcome.CONFLICT)) {
                // jobs of other queues than the conflicting one were enqueued all the same
                results.stream().filter(result -> result.outcome() == Enqueued.Outcome.CREATED)
                        .forEach(result -> metrics.created(result.job()));
                throw idempotencyConflict(results, "jobs");
            }
            List<JobView> views = new ArrayList<>();
            List<String> outcomes = new ArrayList<>();
            for (Enqueued result : results) {
                if (result.outcome() == Enqueued.Outcome.CREATED) {
                    metrics.created(result.job());
                }
                views.add(JobView.of(result.job()));
                outcomes.add(switch (result.outcome()) {
                    case EXISTING -> "idempotency";
                    case UNIQUE_HELD -> "unique";
                    default -> "created";
                });
            }
            return RestResponse.status(RestResponse.Status.CREATED, new BatchView(views, outcomes));
        });
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Role.SUBMIT_NAME, Role.READ_NAME})
    @Operation(operationId = "getJob", summary = "Get a job", description = "404 when the job is unknown or expired after its retention.")
    @APIResponse(responseCode = "200", description = "The job",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "404", description = "Unknown job (type not-found), or removed by retention (type "
            + "job-expired)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<JobView> get(
            @Parameter(description = "Job id, as returned on enqueue", example = "default.01JDQ8Z6V3M4T2K9N7P5R1S0XA",
                    schema = @Schema(type = SchemaType.STRING, pattern = JobView.ID_PATTERN)) @PathParam("id") String id) {
        return access.enter(1).chain(caller -> find(caller, id)).chain(jobViews::full);
    }

    @GET
    @Path("/{id}/result")
    @RolesAllowed({Role.SUBMIT_NAME, Role.READ_NAME})
    @Operation(operationId = "getJobResult", summary = "Get a job's result", description = "200 with the result once the job succeeded; otherwise "
            + "409 with a problem whose jobStatus member says where the job is (retry later if it is not finished).")
    @APIResponse(responseCode = "200", description = "The result of the succeeded job",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ResultView.class)))
    @APIResponse(responseCode = "404", description = "Unknown job (type not-found), or removed by retention (type "
            + "job-expired)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "No result: the job has not succeeded (member jobStatus; retry later unless failed or cancelled)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "wait is not an ISO-8601 duration",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<ResultView> result(
            @Parameter(description = "Job id, as returned on enqueue", example = "default.01JDQ8Z6V3M4T2K9N7P5R1S0XA",
                    schema = @Schema(type = SchemaType.STRING, pattern = JobView.ID_PATTERN)) @PathParam("id") String id,
            @Parameter(description = WAIT_DESCRIPTION + " At the deadline the answer is the usual one for an "
                    + "unfinished job.", schema = @Schema(type = SchemaType.STRING, example = "PT30S"))
            @QueryParam("wait") String wait) {
        Duration waitFor = waitFor(wait);
        return access.enter(1).chain(caller -> waitFor.isZero() ? find(caller, id)
                : find(caller, id).chain(job -> waits.awaitFinal(job, waitFor))).map(job -> {
            if (job.status() != JobStatus.SUCCEEDED) {
                boolean finished = job.status().isFinished();
                throw new ProblemException(409, finished ? "job-not-succeeded" : "result-not-ready",
                        finished ? "Job did not succeed" : "Result not ready",
                        "job " + job.id() + " is " + job.status().wireName()
                                + (job.error() != null && finished ? ": " + job.error() : ""),
                        null, Map.of("jobStatus", job.status().wireName()));
            }
            return new ResultView(job.id().toString(), job.status().wireName(), job.result());
        });
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Role.MANAGE_NAME)
    @Operation(operationId = "cancelJob", summary = "Cancel a job", description = "A scheduled, queued or retrying job is cancelled at once (200). "
            + "A running job is flagged and its worker told to stop it (202; it becomes cancelled shortly). A finished "
            + "job cannot be cancelled (409).")
    @APIResponse(responseCode = "200", description = "Cancelled",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "202", description = "Running: its worker was told to stop it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "404", description = "Unknown job",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Finished jobs cannot be cancelled (member jobStatus)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<JobView>> cancel(
            @Parameter(description = "Job id, as returned on enqueue", example = "default.01JDQ8Z6V3M4T2K9N7P5R1S0XA",
                    schema = @Schema(type = SchemaType.STRING, pattern = JobView.ID_PATTERN)) @PathParam("id") String id) {
        return access.enter(1).chain(caller -> cancel(caller, id));
    }

    private Uni<RestResponse<JobView>> cancel(Caller caller, String id) {
        JobId jobId = granted(caller, id);
        return store.cancel(jobId).invoke(outcome -> access.audit(caller, "cancel", "job " + id,
                outcome.result().name().toLowerCase(Locale.ROOT))).chain(outcome -> {
            RestResponse.Status answer = switch (outcome.result()) {
                case CANCELLED -> RestResponse.Status.OK;
                case CANCEL_REQUESTED -> RestResponse.Status.ACCEPTED;
                case NO_SUCH_JOB -> throw ProblemException.notFound("no job " + id);
                case NOT_CANCELLABLE -> throw new ProblemException(409, "not-cancellable", "Job cannot be cancelled",
                        "job " + id + " is " + outcome.status().wireName(), null,
                        Map.of("jobStatus", outcome.status().wireName()));
            };
            return find(caller, id).chain(jobViews::full).map(view -> RestResponse.status(answer, view));
        });
    }

    @POST
    @Path("/{id}/retry")
    @RolesAllowed(Role.MANAGE_NAME)
    @Operation(operationId = "rerunJob", summary = "Re-run a failed or cancelled job", description = "The job goes back to its queue with a "
            + "fresh set of attempts (its error history is kept). 409 when the job is not failed or cancelled.")
    @APIResponse(responseCode = "200", description = "Queued again",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "404", description = "Unknown job",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Only failed or cancelled jobs can be re-run (member jobStatus)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<JobView> rerun(
            @Parameter(description = "Job id, as returned on enqueue", example = "default.01JDQ8Z6V3M4T2K9N7P5R1S0XA",
                    schema = @Schema(type = SchemaType.STRING, pattern = JobView.ID_PATTERN)) @PathParam("id") String id) {
        return access.enter(1).chain(caller -> rerun(caller, id));
    }

    private Uni<JobView> rerun(Caller caller, String id) {
        return store.rerun(granted(caller, id)).invoke(outcome -> access.audit(caller, "re-run", "job " + id,
                outcome.result().name().toLowerCase(Locale.ROOT))).chain(outcome -> switch (outcome.result()) {
            case QUEUED -> find(caller, id).map(JobView::of);
            case NO_SUCH_JOB -> throw ProblemException.notFound("no job " + id);
            case NOT_RERUNNABLE -> throw new ProblemException(409, "not-retryable", "Job cannot be re-run",
                    "job " + id + " is " + outcome.status().wireName()
                            + "; only failed or cancelled jobs can be re-run", null,
                    Map.of("jobStatus", outcome.status().wireName()));
        });
    }

    private JobId granted(Caller caller, String id) {
        return jobs.granted(caller, id);
    }

    private Uni<Job> find(Caller caller, String id) {
        return jobs.find(caller, id);
    }

    /** The number, or 0 when the text is not an int (0 is outside every range the API accepts). */
    static int parseInt(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @GET
    @RolesAllowed(Role.READ_NAME)
    @Operation(operationId = "listJobs", summary = "List jobs", description = "Newest first, as summaries without payload, result and error "
            + "history unless full=true. Pass nextCursor back as cursor for the next page; a page may be shorter than "
            + "limit while nextCursor is still set.")
    @APIResponse(responseCode = "200", description = "One page of jobs, newest first",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PageView.class)))
    @APIResponse(responseCode = "422", description = "Invalid status, type, queue, limit, cursor or full",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<PageView> list(
            @Parameter(description = "Only jobs in this status", schema = @Schema(type = SchemaType.STRING, enumeration = {
                    "scheduled", "queued", "running", "retrying", "succeeded", "failed", "cancelled" }))
            @QueryParam("status") String status,
            @Parameter(description = "Only jobs of this type", schema = @Schema(type = SchemaType.STRING,
                    examples = "echo")) @QueryParam("type") String type,
            @Parameter(description = "Only jobs of this queue (default: all queues)", schema = @Schema(
                    type = SchemaType.STRING, pattern = JobView.QUEUE_PATTERN)) @QueryParam("queue") String queue,
            @Parameter(description = "Page size, 1 to conveyor.api.max-page-size (default 50)", schema = @Schema(
                    type = SchemaType.INTEGER, minimum = "1", defaultValue = "50")) @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page", schema = @Schema(type = SchemaType.STRING,
                    pattern = PageView.CURSOR_PATTERN)) @QueryParam("cursor") String cursor,
            @Parameter(description = "true: jobs with payload, result and error history, and the page stops at "
                    + "conveyor.api.max-page-bytes of them (default false: summaries)", schema = @Schema(
                    type = SchemaType.BOOLEAN, defaultValue = "false")) @QueryParam("full") String full) {
        List<Problem.FieldError> errors = new ArrayList<>();
        JobStatus wanted = null;
        if (status != null) {
            try {
                wanted = JobStatus.fromWireName(status);
            } catch (IllegalArgumentException e) {
                errors.add(new Problem.FieldError("status", "must be one of scheduled, queued, running, retrying, "
                        + "succeeded, failed, cancelled"));
            }
        }
        if (type != null && !handlers.all().containsKey(type)) {
            errors.add(new Problem.FieldError("type", "is not a job type; known types: "
                    + String.join(", ", handlers.all().keySet())));
        }
        if (queue != null && !QueueName.isValid(queue)) {
            errors.add(new Problem.FieldError("queue", "must match " + QueueName.RULE));
        }
        // text, not Integer: JAX-RS answers a parameter it cannot convert with a 404 before we see it
        int size = limit == null ? config.defaultPageSize() : parseInt(limit);
        if (size < 1 || size > config.maxPageSize()) {
            errors.add(new Problem.FieldError("limit", "must be a whole number between 1 and " + config.maxPageSize()));
        }
        if (cursor != null && !JobId.isUlid(cursor)) {
            errors.add(new Problem.FieldError("cursor", "is not a cursor returned by this endpoint"));
        }
        if (full != null && !full.equals("true") && !full.equals("false")) {
            errors.add(new Problem.FieldError("full", "must be true or false"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        JobStatus filter = wanted;
        boolean content = "true".equals(full);
        return access.enter(1).chain(caller -> list(caller, queue, filter, type, size, cursor, content));
    }

    private Uni<PageView> list(Caller caller, String queue, JobStatus filter, String type, int size, String cursor,
            boolean content) {
        if (queue != null) {
            access.checkQueue(caller, queue, "queue");
        }
        Uni<List<String>> queues = queue != null ? Uni.createFrom().item(List.of(queue))
                : inspector.queues().map(all -> all.stream().filter(caller::mayUse).toList());
        return queues.chain(names -> inspector.list(names, filter, type, size, cursor, content))
                .map(page -> content ? fullPage(page) : new PageView(
                        page.jobs().stream().map(JobView::summary).toList(), page.nextCursor()));
    }

    /**
     * The page's jobs with their contents, up to conveyor.api.max-page-bytes of payloads, results and error histories
     * (always at least one job); when it stops early, the cursor continues after the last job shown.
     */
    private PageView fullPage(JobPage page) {
        long budget = config.maxPageBytes().asLongValue();
        long used = 0;
        List<JobView> views = new ArrayList<>();
        for (int i = 0; i < page.jobs().size(); i++) {
            Job job = page.jobs().get(i);
            used += Utf8.length(Objects.toString(job.payload(), "")) + Utf8.length(Objects.toString(job.result(), ""))
                    + Utf8.length(Objects.toString(job.errorHistory(), ""));
            if (used > budget && i > 0) {
                return new PageView(views, page.jobs().get(i - 1).id().ulid());
            }
            views.add(JobView.of(job));
        }
        return new PageView(views, page.nextCursor());
    }
}
