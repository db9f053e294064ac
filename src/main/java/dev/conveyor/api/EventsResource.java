package dev.conveyor.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
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

import dev.conveyor.auth.Caller;
import dev.conveyor.auth.Role;
import dev.conveyor.events.EventStreams;
import dev.conveyor.job.QueueName;
import dev.conveyor.queue.QueueEvent;
import dev.conveyor.queue.QueueInspector;
import dev.conveyor.role.ApiRole;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/** {@code GET /events}: every job change of some queues as server-sent events, for dashboards and integrations. */
@Path("/events")
@ApiRole
@Tag(name = "Events")
public class EventsResource {

    private final EventStreams streams;
    private final QueueInspector inspector;
    private final EventSse sse;
    private final Access access;

    EventsResource(EventStreams streams, QueueInspector inspector, EventSse sse, Access access) {
        this.streams = streams;
        this.inspector = inspector;
        this.sse = sse;
        this.access = access;
    }

    @GET
    @StreamAdmission
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RolesAllowed(Role.READ_NAME)
    @Operation(operationId = "streamEvents", summary = "Follow the job changes of queues", description = "A "
            + "text/event-stream of every job change in the queues (event `job`, data JobEvent), without end. Each "
            + "event's id is the client's position in every queue; a client that reconnects with Last-Event-ID gets "
            + "what it missed while the queues' streams still keep it (conveyor.events.capacity per queue), else an "
            + "event `gap` per queue that lost events. Comment lines keep an idle stream open. A client that reads "
            + "slower than its events come is disconnected (it may reconnect and resume).")
    @APIResponse(responseCode = "200", description = "The stream of events",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "403", description = "A queue this client may not use (type forbidden-queue)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "A queue name that is not valid, or a Last-Event-ID this API did "
            + "not send",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Redis unreachable, or conveyor.events.max-streams open on this "
            + "instance; Retry-After says when to try again",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Multi<OutboundSseEvent> events(
            @Parameter(description = "Comma-separated queue names; all the queues this client may use when absent "
                    + "(those that exist when the stream opens)", schema = @Schema(type = SchemaType.STRING,
                            pattern = "^" + QueueName.RULE + "(," + QueueName.RULE + ")*$")) @QueryParam("queue") String queue,
            @Parameter(description = "The id of the last event received, to resume after it",
                    schema = @Schema(type = SchemaType.STRING)) @HeaderParam("Last-Event-ID") String lastEventId,
            @Context Sse context) {
        Set<String> named = new LinkedHashSet<>();
        if (queue != null) {
            for (String name : queue.split(",", -1)) {
                if (!QueueName.isValid(name)) {
                    throw ProblemException.invalid("queue", "must be queue names (" + QueueName.RULE
                            + ") separated by commas");
                }
                named.add(name);
            }
        }
        Caller caller = access.caller();
        List<Problem.FieldError> refused = new ArrayList<>();
        named.stream().filter(name -> !caller.mayUse(name)).forEach(name -> refused.add(
                new Problem.FieldError("queue", "names queue " + name + ", which this client may not use")));
        if (!refused.isEmpty()) {
            throw access.forbiddenQueues(refused);
        }
        Map<String, String> resume = EventPositions.parse(lastEventId);
        Uni<Set<String>> queues = queues(caller, named).memoize().indefinitely();
        return streams.open(queues, event -> true, event -> false,
                live -> queues.chain(resolved -> start(resolved, resume, live)))
                .map(delivery -> sse.toSse(context, delivery));
    }

    private Uni<Set<String>> queues(Caller caller, Set<String> named) {
        if (!named.isEmpty()) {
            return Uni.createFrom().item(named);
        }
        return inspector.queues().map(all -> {
            Set<String> granted = new LinkedHashSet<>();
            all.stream().filter(caller::mayUse).forEach(granted::add);
            return granted;
        });
    }

    /** Catches up on every queue the client has a position in; the others start live. */
    private Uni<EventStreams.Start> start(Set<String> queues, Map<String, String> resume, Map<String, String> live) {
        Map<String, String> positions = new HashMap<>();
        List<Uni<List<QueueEvent>>> catchUps = new ArrayList<>();
        for (String queue : queues) {
            String from = resume.get(queue);
            if (from != null) {
                positions.put(queue, from);
                catchUps.add(streams.catchUp(queue, from, live.get(queue)));
            }
        }
        if (catchUps.isEmpty()) {
            return Uni.createFrom().item(new EventStreams.Start(positions, List.of()));
        }
        return Uni.join().all(catchUps).andFailFast().map(missed -> {
            List<QueueEvent> first = new ArrayList<>();
            missed.forEach(first::addAll);
            return new EventStreams.Start(positions, first);
        });
    }
}
