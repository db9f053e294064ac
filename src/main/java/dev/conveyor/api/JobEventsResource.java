package dev.conveyor.api;

import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.conveyor.auth.Role;
import dev.conveyor.events.EventStreams;
import dev.conveyor.job.Job;
import dev.conveyor.job.JobId;
import dev.conveyor.job.JobStatus;
import dev.conveyor.queue.JobEvents;
import dev.conveyor.queue.QueueEvent;
import dev.conveyor.role.ApiRole;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/** {@code GET /jobs/{id}/events}: one job's changes as server-sent events, from its current state to its end. */
@Path("/jobs/{id}/events")
@ApiRole
@Tag(name = "Events", description = "Job changes as server-sent events")
public class JobEventsResource {

    private final EventStreams streams;
    private final JobEvents events;
    private final EventSse sse;
    private final Access access;

    JobEventsResource(EventStreams streams, JobEvents events, EventSse sse, Access access) {
        this.streams = streams;
        this.events = events;
        this.sse = sse;
        this.access = access;
    }

    @GET
    @StreamAdmission
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RolesAllowed({Role.SUBMIT_NAME, Role.READ_NAME})
    @Operation(operationId = "streamJobEvents", summary = "Follow a job's changes", description = "A text/event-stream: "
            + "first the job's current state, then each change (event `job`, data JobEvent: status, attempt, error, "
            + "progress), ending after a final state (succeeded, failed, cancelled). Comment lines keep an idle stream "
            + "open. A client that reconnects with Last-Event-ID gets the changes it missed, or the current state when "
            + "they are no longer kept.")
    @APIResponse(responseCode = "200", description = "The stream of events",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "404", description = "Unknown job (type not-found)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Last-Event-ID is not an id this API sent",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Redis unreachable, or conveyor.events.max-streams open on this "
            + "instance; Retry-After says when to try again",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Multi<OutboundSseEvent> events(
            @Parameter(description = "Job id, as returned on enqueue", example = "default.01JDQ8Z6V3M4T2K9N7P5R1S0XA",
                    schema = @Schema(type = SchemaType.STRING, pattern = JobView.ID_PATTERN)) @PathParam("id") String id,
            @Parameter(description = "The id of the last event received, to resume after it",
                    schema = @Schema(type = SchemaType.STRING)) @HeaderParam("Last-Event-ID") String lastEventId,
            @Context Sse context) {
        JobId jobId = JobId.parse(id).orElseThrow(() -> ProblemException.notFound("no job " + id));
        String queue = jobId.queue();
        String resumeFrom = EventPositions.parse(lastEventId).get(queue);
        access.checkQueue(access.caller(), queue, "id");
        return streams.open(Set.of(queue), event -> jobId.equals(event.job()),
                            event -> JobStatus.fromWireName(event.status()).isFinished(),
                            live -> resumeFrom == null ? current(jobId)
                                    : streams.catchUp(queue, resumeFrom, live.get(queue)).chain(missed ->
                                            !missed.isEmpty() && missed.get(0).reset() ? current(jobId)
                                                    : Uni.createFrom().item(new EventStreams.Start(
                                                            Map.of(queue, resumeFrom), missed))))
                .map(delivery -> sse.toSse(context, delivery));
    }

    /** Starts with the job's current state, then the changes after it. */
    private Uni<EventStreams.Start> current(JobId id) {
        return events.snapshot(id).map(snapshot -> {
            Job job = snapshot.job();
            if (job == null) {
                throw ProblemException.notFound("no job " + id);
            }
            EventView state = EventView.of(job, snapshot.position());
            QueueEvent first = new QueueEvent(id.queue(), snapshot.position(), id, state.status(), state.attempt(),
                    state.error(), job.progress());
            Map<String, String> positions = new java.util.HashMap<>();
            positions.put(id.queue(), null);
            return new EventStreams.Start(positions, List.of(first));
        });
    }
}
