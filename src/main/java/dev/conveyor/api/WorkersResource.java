package dev.conveyor.api;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.conveyor.auth.Caller;
import dev.conveyor.auth.Role;
import dev.conveyor.queue.RegisteredWorker;
import dev.conveyor.queue.WorkerEntry;
import dev.conveyor.queue.WorkerRegistry;
import dev.conveyor.role.ApiRole;
import io.smallrye.mutiny.Uni;

@Path("/workers")
@Tag(name = "Workers", description = "The live worker processes, from the registry they keep fresh in Redis")
@Produces(MediaType.APPLICATION_JSON)
@ApiRole
public class WorkersResource {

    /** One live worker process, as its last heartbeat described it. */
    @Schema(name = "Worker")
    public record WorkerView(
            @Schema(required = true, description = "host:pid:random, stable for the life of the process") String id,
            @Schema(required = true) String host,
            @Schema(required = true, minimum = "0") long pid,
            @Schema(required = true, description = "Queues it consumes (only those the caller may see), at most "
                    + WorkerEntry.MAX_QUEUES) List<String> queues,
            @Schema(required = true, minimum = "0", description = "Most jobs it runs at once") int concurrency,
            @Schema(required = true, minimum = "0", description = "Jobs it was running at its last heartbeat")
            int inFlight,
            @Schema(required = true) Instant startedAt,
            @Schema(required = true, description = "Its last heartbeat, by its own clock") Instant heartbeatAt,
            @Schema(required = true, description = "When it drops out of this list unless it heartbeats again")
            Instant expiresAt,
            @Schema(required = true, description = "The application version it runs; empty when unknown")
            String version) {
    }

    @Schema(name = "WorkerList")
    public record WorkerList(@Schema(required = true, description = "Sorted by host, then id") List<WorkerView> workers) {
    }

    private final WorkerRegistry registry;
    private final Access access;

    WorkersResource(WorkerRegistry registry, Access access) {
        this.registry = registry;
        this.access = access;
    }

    @GET
    @RolesAllowed(Role.READ_NAME)
    @Operation(operationId = "listWorkers", summary = "List live workers", description = "Every worker process whose "
            + "registry entry has not expired (a worker heartbeats every conveyor.worker.heartbeat-interval; its entry "
            + "expires after three intervals without one, and at once when it stops gracefully). A client limited to "
            + "some queues sees only the workers that consume one of them, and only those queue names.")
    @APIResponse(responseCode = "200", description = "The live workers",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WorkerList.class)))
    public Uni<WorkerList> list() {
        return access.enter(1).chain(caller -> registry.live().map(workers -> new WorkerList(workers.stream()
                .map(worker -> view(worker, caller))
                .filter(view -> view != null)
                .sorted(Comparator.comparing(WorkerView::host).thenComparing(WorkerView::id))
                .toList())));
    }

    /** The worker as this caller may see it; null when it consumes none of the caller's queues. */
    private static WorkerView view(RegisteredWorker worker, Caller caller) {
        WorkerEntry entry = worker.entry();
        List<String> queues = entry.queues().stream().filter(caller::mayUse).toList();
        if (queues.isEmpty()) {
            return null;
        }
        return new WorkerView(entry.id(), entry.host(), entry.pid(), queues, entry.concurrency(), entry.inFlight(),
                entry.startedAt(), entry.heartbeatAt(), worker.expiresAt(), entry.version() == null ? ""
                        : entry.version());
    }
}
