package dev.conveyor.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.conveyor.auth.Caller;
import dev.conveyor.auth.Role;
import dev.conveyor.job.JobStatus;
import dev.conveyor.job.QueueName;
import dev.conveyor.queue.BulkActions;
import dev.conveyor.queue.JobStore;
import dev.conveyor.queue.QueueInspector;
import dev.conveyor.role.ApiRole;
import io.smallrye.mutiny.Uni;

@Path("/queues")
@Tag(name = "Queues", description = "Queues with their job counts, pause and resume, statistics")
@Produces(MediaType.APPLICATION_JSON)
@ApiRole
public class QueueResource {

    /** One queue: paused or not, and how many of its jobs are in each status. */
    public record QueueView(@Schema(required = true, pattern = JobView.QUEUE_PATTERN) String name,
            @Schema(required = true) boolean paused,
            @Schema(required = true, description = "Jobs per status: scheduled, queued, running, retrying, succeeded, "
                    + "failed, cancelled.") Map<String, Long> counts,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "Absent when the queue has no limits.")
            LimitsView limits) {
    }

    private final JobStore store;
    private final QueueInspector inspector;
    private final Access access;
    private final BulkActions bulk;
    private final ApiConfig config;

    QueueResource(JobStore store, QueueInspector inspector, Access access, BulkActions bulk, ApiConfig config) {
        this.store = store;
        this.inspector = inspector;
        this.access = access;
        this.bulk = bulk;
        this.config = config;
    }

    @GET
    @RolesAllowed(Role.READ_NAME)
    @Operation(operationId = "listQueues", summary = "List queues", description = "Every queue that ever had a job, with its job counts per status.")
    @APIResponse(responseCode = "200", description = "Every queue",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = QueueView.class)))
    public Uni<List<QueueView>> list() {
        return access.enter(1).chain(this::visible);
    }

    /** The queues this caller may see. */
    Uni<List<QueueView>> visible(Caller caller) {
        return inspector.queues().map(queues -> queues.stream().filter(caller::mayUse).toList()).chain(this::views);
    }

    @GET
    @Path("/{name}")
    @RolesAllowed(Role.READ_NAME)
    @Operation(operationId = "getQueue", summary = "Get a queue", description = "404 when no job was ever enqueued to it (the default queue always exists).")
    @APIResponse(responseCode = "200", description = "The queue",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = QueueView.class)))
    @APIResponse(responseCode = "404", description = "No job was ever enqueued to this queue",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<QueueView> get(
            @Parameter(description = "Queue name", example = "default", schema = @Schema(type = SchemaType.STRING, pattern = JobView.QUEUE_PATTERN)) @PathParam("name") String name) {
        return access.enter(1).chain(caller -> known(caller, name)).chain(this::view);
    }

    private Uni<QueueView> view(String queue) {
        return views(List.of(queue)).map(views -> views.get(0));
    }

    @POST
    @Path("/{name}/pause")
    @RolesAllowed(Role.MANAGE_NAME)
    @Operation(operationId = "pauseQueue", summary = "Pause a queue", description = "Workers stop claiming from it; jobs already running finish; "
            + "enqueueing still works.")
    @APIResponse(responseCode = "200", description = "Paused",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = QueueView.class)))
    @APIResponse(responseCode = "404", description = "Unknown queue",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<QueueView> pause(
            @Parameter(description = "Queue name", example = "default", schema = @Schema(type = SchemaType.STRING, pattern = JobView.QUEUE_PATTERN)) @PathParam("name") String name) {
        return access.enter(1).chain(caller -> known(caller, name).chain(store::pause)
                .invoke(() -> access.audit(caller, "pause", "queue " + name, "paused"))).chain(() -> view(name));
    }

    @POST
    @Path("/{name}/resume")
    @RolesAllowed(Role.MANAGE_NAME)
    @Operation(operationId = "resumeQueue", summary = "Resume a paused queue", description = "Workers claim from it again at once.")
    @APIResponse(responseCode = "200", description = "Resumed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = QueueView.class)))
    @APIResponse(responseCode = "404", description = "Unknown queue",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<QueueView> resume(
            @Parameter(description = "Queue name", example = "default", schema = @Schema(type = SchemaType.STRING, pattern = JobView.QUEUE_PATTERN)) @PathParam("name") String name) {
        return access.enter(1).chain(caller -> known(caller, name).chain(store::resume)
                .invoke(() -> access.audit(caller, "resume", "queue " + name, "resumed"))).chain(() -> view(name));
    }

    @DELETE
    @Path("/{name}")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(operationId = "deleteQueue", summary = "Delete an empty queue", description = "A queue without scheduled, queued, running or "
            + "retrying jobs is removed with its finished jobs, counters, pause flag and limits, and no longer counts "
            + "against conveyor.queue.max-queues. 409 when it still has such jobs.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "Unknown queue",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The queue has scheduled, queued, running or retrying jobs",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<Void>> delete(
            @Parameter(description = "Queue name", example = "default", schema = @Schema(type = SchemaType.STRING, pattern = JobView.QUEUE_PATTERN)) @PathParam("name") String name) {
        return access.enter(1).chain(caller -> known(caller, name).chain(store::deleteQueue)
                .invoke(deleted -> access.audit(caller, "delete", "queue " + name, deleted ? "deleted" : "not empty")))
                .map(deleted -> {
            if (!deleted) {
                throw new ProblemException(409, "queue-not-empty", "Queue not empty", "queue " + name
                        + " has scheduled, queued, running or retrying jobs; cancel them or let them finish", null,
                        null);
            }
            return RestResponse.noContent();
        });
    }

    @PUT
    @Path("/{name}/limits")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.MANAGE_NAME)
    @Operation(operationId = "setQueueLimits", summary = "Set a queue's rate and concurrency limits", description =
            "Replaces the queue's limits: a rate (jobs started per s, m or h, with a burst) and/or a concurrency (jobs "
            + "running at once), across all workers. Jobs over a limit stay queued (docs/limits.md).")
    @APIResponse(responseCode = "200", description = "The limits now in force",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = LimitsView.class)))
    @APIResponse(responseCode = "404", description = "Unknown queue",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Invalid limits (the problem names the fields)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<LimitsView> setLimits(
            @Parameter(description = "Queue name", example = "default", schema = @Schema(type = SchemaType.STRING, pattern = JobView.QUEUE_PATTERN)) @PathParam("name") String name,
            LimitsRequest request) {
        return access.enter(1).chain(caller -> known(caller, name).chain(queue -> {
            var limits = (request == null ? new LimitsRequest(null, null, null) : request).limits();
            return store.setLimits(queue, limits)
                    .invoke(() -> access.audit(caller, "limit", "queue " + name, "limits set"))
                    .map(ignored -> LimitsView.of(limits));
        }));
    }

    @DELETE
    @Path("/{name}/limits")
    @RolesAllowed(Role.MANAGE_NAME)
    @Operation(operationId = "deleteQueueLimits", summary = "Remove a queue's limits", description =
            "Workers claim from it without a rate or concurrency limit from their next claim on.")
    @APIResponse(responseCode = "204", description = "Removed (or there were none)")
    @APIResponse(responseCode = "404", description = "Unknown queue",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<Void>> deleteLimits(
            @Parameter(description = "Queue name", example = "default", schema = @Schema(type = SchemaType.STRING, pattern = JobView.QUEUE_PATTERN)) @PathParam("name") String name) {
        return access.enter(1).chain(caller -> known(caller, name).chain(store::removeLimits)
                .invoke(() -> access.audit(caller, "unlimit", "queue " + name, "limits removed")))
                .map(ignored -> RestResponse.noContent());
    }

    static final String BULK_DESCRIPTION = " Works in script calls of at most conveyor.api.bulk-chunk jobs (each "
            + "atomic), on the jobs there when it started. When Redis fails midway: 503 whose member done says how "
            + "many jobs were handled.";

    @POST
    @Path("/{name}/retry-failed")
    @RolesAllowed(Role.MANAGE_NAME)
    @Operation(operationId = "retryFailedJobs", summary = "Re-run every failed job of a queue", description = "Each "
            + "failed job goes back to the queue as POST /jobs/{id}/retry does: queued, with a fresh set of attempts."
            + BULK_DESCRIPTION)
    @APIResponse(responseCode = "200", description = "How many jobs were queued again (member retried)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BulkResult.class)))
    @APIResponse(responseCode = "404", description = "Unknown queue",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<BulkResult> retryFailed(
            @Parameter(description = "Queue name", example = "default", schema = @Schema(type = SchemaType.STRING, pattern = JobView.QUEUE_PATTERN)) @PathParam("name") String name) {
        return access.enter(1).chain(caller -> known(caller, name)
                .chain(queue -> bulk.retryFailed(queue, config.bulkChunk()))
                .invoke(n -> access.audit(caller, "retry-failed", "queue " + name, n + " re-run"))
                .map(BulkResult::retried));
    }

    @DELETE
    @Path("/{name}/jobs")
    @RolesAllowed(Role.MANAGE_NAME)
    @Operation(operationId = "deleteFinishedJobs", summary = "Delete a queue's finished jobs of one status",
            description = "Removes every succeeded, failed or cancelled job of the queue (as its retention does: "
                    + "with its index entries, idempotency key and unique key); waiting and running jobs are not "
                    + "deleted here." + BULK_DESCRIPTION)
    @APIResponse(responseCode = "200", description = "How many jobs were deleted (member deleted)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BulkResult.class)))
    @APIResponse(responseCode = "404", description = "Unknown queue",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "status is missing or not succeeded, failed or cancelled",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<BulkResult> deleteJobs(
            @Parameter(description = "Queue name", example = "default", schema = @Schema(type = SchemaType.STRING, pattern = JobView.QUEUE_PATTERN)) @PathParam("name") String name,
            @Parameter(description = "The status of the jobs to delete", required = true, schema = @Schema(
                    type = SchemaType.STRING, enumeration = { "succeeded", "failed", "cancelled" }))
            @QueryParam("status") String status) {
        JobStatus finished = finishedStatus(status);
        return access.enter(1).chain(caller -> known(caller, name)
                .chain(queue -> bulk.deleteFinished(queue, finished, config.bulkChunk()))
                .invoke(n -> access.audit(caller, "delete " + status + " jobs", "queue " + name, n + " deleted"))
                .map(BulkResult::deleted));
    }

    /** The status query parameter of a deletion: a finished status, else 422 naming it. */
    private static JobStatus finishedStatus(String status) {
        for (JobStatus finished : List.of(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED)) {
            if (finished.wireName().equals(status)) {
                return finished;
            }
        }
        throw ProblemException.invalid("status", status == null ? "is required: succeeded, failed or cancelled"
                : "must be succeeded, failed or cancelled (waiting and running jobs are not deleted here)");
    }

    @POST
    @Path("/{name}/drain")
    @RolesAllowed(Role.MANAGE_NAME)
    @Operation(operationId = "drainQueue", summary = "Cancel every waiting job of a queue", description = "Scheduled, "
            + "queued and retrying jobs are cancelled as DELETE /jobs/{id} cancels them; running jobs go on (cancel "
            + "them one by one). At most as many jobs as were waiting when it started are examined." + BULK_DESCRIPTION)
    @APIResponse(responseCode = "200", description = "How many jobs were cancelled (member cancelled)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BulkResult.class)))
    @APIResponse(responseCode = "404", description = "Unknown queue",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<BulkResult> drain(
            @Parameter(description = "Queue name", example = "default", schema = @Schema(type = SchemaType.STRING, pattern = JobView.QUEUE_PATTERN)) @PathParam("name") String name) {
        return access.enter(1).chain(caller -> known(caller, name)
                .chain(queue -> bulk.drain(queue, config.bulkChunk()))
                .invoke(n -> access.audit(caller, "drain", "queue " + name, n + " cancelled"))
                .map(BulkResult::cancelled));
    }

    private Uni<String> valid(String name) {
        if (!QueueName.isValid(name)) {
            return Uni.createFrom().failure(ProblemException.notFound("no queue " + name));
        }
        return Uni.createFrom().item(name);
    }

    /**
     * A queue that holds or held jobs; the default queue always exists, so that it can be paused before its jobs. A
     * queue the caller may not use is a 403, whether or not it exists.
     */
    private Uni<String> known(Caller caller, String name) {
        if (QueueName.isValid(name)) {
            access.checkQueue(caller, name, "name");
        }
        return valid(name).chain(queue -> inspector.queues().map(queues -> {
            if (!queues.contains(queue) && !QueueName.DEFAULT.equals(queue)) {
                throw ProblemException.notFound("no queue " + name);
            }
            return queue;
        }));
    }

    private Uni<List<QueueView>> views(List<String> queues) {
        return Uni.combine().all().unis(inspector.counts(queues), inspector.paused(queues), inspector.limits(queues))
                .asTuple()
                .map(all -> queues.stream()
                        .map(queue -> new QueueView(queue, all.getItem2().getOrDefault(queue, false),
                                wireNames(all.getItem1().get(queue)), LimitsView.of(all.getItem3().get(queue))))
                        .toList());
    }

    static Map<String, Long> wireNames(Map<JobStatus, Long> counts) {
        Map<String, Long> named = new LinkedHashMap<>();
        counts.forEach((status, count) -> named.put(status.wireName(), count));
        return named;
    }
}
