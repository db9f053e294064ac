package dev.conveyor.api;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.conveyor.auth.Caller;
import dev.conveyor.auth.Role;
import dev.conveyor.job.QueueName;
import dev.conveyor.queue.ScheduleStore;
import dev.conveyor.queue.StoredSchedule;
import dev.conveyor.role.ApiRole;
import dev.conveyor.schedule.LastRun;
import dev.conveyor.schedule.ScheduleDefinition;
import dev.conveyor.schedule.SchedulesConfig;
import dev.conveyor.schedule.Timing;
import io.smallrye.mutiny.Uni;

/**
 * Cron and interval schedules (docs/schedules.md). A schedule belongs to the queue of its job: reading it takes the
 * read role, changing it the manage role, both with a grant on that queue; a schedule of a queue the caller may not
 * use is answered as not found.
 */
@Path("/schedules")
@Tag(name = "Schedules", description = "Cron and fixed-interval schedules that enqueue one job per tick")
@Produces(MediaType.APPLICATION_JSON)
@ApiRole
public class ScheduleResource {

    private static final int NEXT_RUNS = 3;

    private final ScheduleStore store;
    private final ScheduleRequestValidator validator;
    private final SchedulesConfig config;
    private final Access access;
    private final ObjectMapper json;

    ScheduleResource(ScheduleStore store, ScheduleRequestValidator validator, SchedulesConfig config, Access access,
            ObjectMapper json) {
        this.store = store;
        this.validator = validator;
        this.config = config;
        this.access = access;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.MANAGE_NAME)
    @Operation(operationId = "createSchedule", summary = "Create a schedule", description = "Its first tick is the "
            + "first one after now. 409 when the name is taken, or when conveyor.schedules.max-count schedules exist.")
    @APIResponse(responseCode = "201", description = "Created",
            headers = @Header(name = "Location", description = "The schedule's URL", required = true,
                    schema = @Schema(type = SchemaType.STRING, format = "uri")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ScheduleView.class)))
    @APIResponse(responseCode = "400", description = "Malformed JSON",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The name is taken (type schedule-exists), or there are "
            + "conveyor.schedules.max-count schedules (type too-many-schedules)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "Body larger than conveyor.api.max-body-size",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Invalid field; errors[] names each (cron, every, timezone, "
            + "job.type, ...)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<ScheduleView>> create(ScheduleRequest request) {
        return access.enter(1).chain(caller -> save(caller, request, null, null, true));
    }

    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.MANAGE_NAME)
    @Operation(operationId = "putSchedule", summary = "Create or replace a schedule", description = "A replaced "
            + "schedule keeps its createdAt, its pause and its last run; its ticks start again from now.")
    @APIResponse(responseCode = "200", description = "Replaced",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ScheduleView.class)))
    @APIResponse(responseCode = "201", description = "Created",
            headers = @Header(name = "Location", description = "The schedule's URL", required = true,
                    schema = @Schema(type = SchemaType.STRING, format = "uri")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ScheduleView.class)))
    @APIResponse(responseCode = "400", description = "Malformed JSON",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "The schedule exists in a queue this client may not use",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "A new schedule, and there are conveyor.schedules.max-count "
            + "schedules (type too-many-schedules)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "Body larger than conveyor.api.max-body-size",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Invalid field; errors[] names each",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<ScheduleView>> put(@Parameter(description = "Schedule name", schema = @Schema(
            type = SchemaType.STRING, pattern = ScheduleRequest.NAME_PATTERN)) @PathParam("name") String name,
            ScheduleRequest request) {
        return access.enter(1).chain(caller -> {
            // checked first without the existing schedule: a bad request is a 422 whether or not it exists
            ScheduleRequestValidator.Checked checked = validator.validate(request, name, null, Instant.now());
            access.checkQueue(caller, checked.job().queue(), "job.queue");
            return store.find(name).chain(existing -> {
                if (existing.isPresent() && !visible(caller, existing.get())) {
                    throw notFound(name);
                }
                Instant createdAt = existing.map(stored -> definition(stored).createdAt()).orElse(null);
                return save(caller, request, name, createdAt, false);
            });
        });
    }

    private Uni<RestResponse<ScheduleView>> save(Caller caller, ScheduleRequest request, String pathName,
            Instant createdAt, boolean create) {
        ScheduleRequestValidator.Checked checked = validator.validate(request, pathName, createdAt, Instant.now());
        access.checkQueue(caller, checked.job().queue(), "job.queue");
        ScheduleDefinition definition = checked.definition();
        Instant first = definition.timing().nextAfter(definition.updatedAt()).orElse(null);
        return store.save(definition.name(), write(definition), first, create, config.maxCount()).chain(saved -> {
            switch (saved) {
                case NAME_TAKEN -> throw new ProblemException(409, "schedule-exists", "Schedule exists", "a schedule "
                        + "named " + definition.name() + " exists; PUT /schedules/" + definition.name()
                        + " replaces it", List.of(new Problem.FieldError("name", "is taken")), null);
                case FULL -> throw new ProblemException(409, "too-many-schedules", "Too many schedules", "there are "
                        + config.maxCount() + " schedules (conveyor.schedules.max-count); delete one first", null, null);
                default -> {
                }
            }
            access.audit(caller, create || saved == ScheduleStore.Saved.CREATED ? "create" : "replace",
                    "schedule " + definition.name(), saved.name().toLowerCase(java.util.Locale.ROOT));
            return find(caller, definition.name()).map(view -> saved == ScheduleStore.Saved.CREATED
                    ? RestResponse.ResponseBuilder.<ScheduleView>created(URI.create("/schedules/" + view.name()))
                            .entity(view).build()
                    : RestResponse.ok(view));
        });
    }

    @GET
    @RolesAllowed(Role.READ_NAME)
    @Operation(operationId = "listSchedules", summary = "List schedules", description = "Every schedule whose job "
            + "queue the caller may use, sorted by name.")
    @APIResponse(responseCode = "200", description = "The schedules",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ScheduleView.ScheduleList.class)))
    public Uni<ScheduleView.ScheduleList> list() {
        return access.enter(1).chain(caller -> store.all().map(all -> new ScheduleView.ScheduleList(all.stream()
                .filter(stored -> visible(caller, stored))
                .map(this::view)
                .sorted(Comparator.comparing(ScheduleView::name))
                .toList())));
    }

    @GET
    @Path("/{name}")
    @RolesAllowed(Role.READ_NAME)
    @Operation(operationId = "getSchedule", summary = "Get a schedule", description = "With its next runs and its "
            + "last run.")
    @APIResponse(responseCode = "200", description = "The schedule",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ScheduleView.class)))
    @APIResponse(responseCode = "404", description = "No such schedule (or its queue is not granted)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<ScheduleView> get(@Parameter(description = "Schedule name", schema = @Schema(type = SchemaType.STRING,
            pattern = ScheduleRequest.NAME_PATTERN)) @PathParam("name") String name) {
        return access.enter(1).chain(caller -> find(caller, name));
    }

    @DELETE
    @Path("/{name}")
    @RolesAllowed(Role.MANAGE_NAME)
    @Operation(operationId = "deleteSchedule", summary = "Delete a schedule", description = "No tick fires after; "
            + "jobs it fired stay, under the usual job retention.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such schedule (or its queue is not granted)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<Void>> delete(@Parameter(description = "Schedule name", schema = @Schema(
            type = SchemaType.STRING, pattern = ScheduleRequest.NAME_PATTERN)) @PathParam("name") String name) {
        return access.enter(1).chain(caller -> find(caller, name).chain(view -> store.delete(name))
                .invoke(deleted -> access.audit(caller, "delete", "schedule " + name, "deleted")))
                .map(deleted -> RestResponse.noContent());
    }

    @POST
    @Path("/{name}/pause")
    @RolesAllowed(Role.MANAGE_NAME)
    @Operation(operationId = "pauseSchedule", summary = "Pause a schedule", description = "No tick fires until it "
            + "is resumed; jobs fired already are not touched.")
    @APIResponse(responseCode = "200", description = "Paused",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ScheduleView.class)))
    @APIResponse(responseCode = "404", description = "No such schedule (or its queue is not granted)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<ScheduleView> pause(@Parameter(description = "Schedule name", schema = @Schema(type = SchemaType.STRING,
            pattern = ScheduleRequest.NAME_PATTERN)) @PathParam("name") String name) {
        return access.enter(1).chain(caller -> find(caller, name)
                .chain(view -> store.pause(name, true, null))
                .invoke(() -> access.audit(caller, "pause", "schedule " + name, "paused"))
                .chain(() -> find(caller, name)));
    }

    @POST
    @Path("/{name}/resume")
    @RolesAllowed(Role.MANAGE_NAME)
    @Operation(operationId = "resumeSchedule", summary = "Resume a paused schedule", description = "It goes on with "
            + "its first tick after now: ticks that fell while it was paused do not fire.")
    @APIResponse(responseCode = "200", description = "Resumed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ScheduleView.class)))
    @APIResponse(responseCode = "404", description = "No such schedule (or its queue is not granted)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<ScheduleView> resume(@Parameter(description = "Schedule name", schema = @Schema(type = SchemaType.STRING,
            pattern = ScheduleRequest.NAME_PATTERN)) @PathParam("name") String name) {
        return access.enter(1).chain(caller -> stored(caller, name)
                .chain(stored -> store.pause(name, false,
                        definition(stored).timing().nextAfter(Instant.now()).orElse(null)))
                .invoke(() -> access.audit(caller, "resume", "schedule " + name, "resumed"))
                .chain(() -> find(caller, name)));
    }

    private Uni<ScheduleView> find(Caller caller, String name) {
        return stored(caller, name).map(this::view);
    }

    private Uni<StoredSchedule> stored(Caller caller, String name) {
        if (!name.matches(ScheduleRequest.NAME_RULE)) {
            return Uni.createFrom().failure(notFound(name));
        }
        return store.find(name).map(found -> found.filter(stored -> visible(caller, stored))
                .orElseThrow(() -> notFound(name)));
    }

    private boolean visible(Caller caller, StoredSchedule stored) {
        return caller.mayUse(queue(definition(stored)));
    }

    private static String queue(ScheduleDefinition definition) {
        String queue = definition.job().path("queue").asText("");
        return queue.isEmpty() ? QueueName.DEFAULT : queue;
    }

    private static ProblemException notFound(String name) {
        return ProblemException.notFound("no schedule " + name);
    }

    private ScheduleView view(StoredSchedule stored) {
        ScheduleDefinition definition = definition(stored);
        ZoneId zone = ZoneId.of(definition.timezone());
        List<String> nextRuns = new ArrayList<>();
        if (!stored.paused() && stored.nextTick() != null) {
            Timing timing = definition.timing();
            nextRuns.add(rfc3339(stored.nextTick(), zone));
            timing.next(stored.nextTick(), NEXT_RUNS - 1).forEach(tick -> nextRuns.add(rfc3339(tick, zone)));
        }
        return new ScheduleView(definition.name(), definition.cron(), definition.every(), definition.timezone(),
                definition.job(), definition.overlap(), definition.catchUp(), stored.paused(), nextRuns,
                lastRun(stored.lastRun()), millis(definition.createdAt()), millis(definition.updatedAt()));
    }

    /** Times in answers to the millisecond, as every other answer shows them (the clock gives more digits). */
    private static Instant millis(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS);
    }

    private static String rfc3339(Instant instant, ZoneId zone) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.atZone(zone));
    }

    private ScheduleView.LastRunView lastRun(String stored) {
        if (stored == null) {
            return null;
        }
        try {
            LastRun run = json.readValue(stored, LastRun.class);
            return new ScheduleView.LastRunView(millis(run.scheduledFor()), run.jobId(), millis(run.firedAt()), run.skipped());
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private ScheduleDefinition definition(StoredSchedule stored) {
        try {
            return json.readValue(stored.definition(), ScheduleDefinition.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable schedule " + stored.name(), e);
        }
    }

    private String write(ScheduleDefinition definition) {
        try {
            return json.writeValueAsString(definition);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("schedule not serializable", e);
        }
    }
}
