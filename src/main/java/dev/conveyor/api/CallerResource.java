package dev.conveyor.api;

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

import dev.conveyor.auth.AuthConfig;
import dev.conveyor.auth.Caller;
import dev.conveyor.auth.Role;
import dev.conveyor.role.ApiRole;
import io.smallrye.mutiny.Uni;

/**
 * Who the caller is and what it may do, so that a client (the dashboard) can check a key once and show only the
 * actions its roles allow.
 */
@Path("/me")
@Tag(name = "Access", description = "The caller's own grants")
@Produces(MediaType.APPLICATION_JSON)
@ApiRole
public class CallerResource {

    @Schema(name = "Caller")
    public record CallerView(
            @Schema(required = true, description = "The client's name from the keys file or the JWT; empty when "
                    + "access control is off.") String name,
            @Schema(required = true, description = "Its roles with those they imply, sorted: submit, read, manage, "
                    + "admin.") List<String> roles,
            @Schema(required = true, description = "The queues it may use, sorted; [\"*\"] for every queue.")
            List<String> queues,
            @Schema(required = true, description = "false in dev mode, where anyone may do everything.")
            boolean accessControl) {
    }

    private final Access access;
    private final AuthConfig auth;

    CallerResource(Access access, AuthConfig auth) {
        this.access = access;
        this.auth = auth;
    }

    @GET
    @RolesAllowed({ Role.SUBMIT_NAME, Role.READ_NAME })
    @Operation(operationId = "getCaller", summary = "Who am I", description = "The caller's name, roles and queues.")
    @APIResponse(responseCode = "200", description = "The caller",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CallerView.class)))
    public Uni<CallerView> me() {
        return access.enter(1).map(this::view);
    }

    private CallerView view(Caller caller) {
        List<String> roles = caller.roles().stream().sorted().map(Role::wireName).toList();
        List<String> queues = caller.has(Role.ADMIN) ? List.of(Caller.ALL_QUEUES)
                : caller.queues().stream().sorted().toList();
        return new CallerView(caller.name(), roles, queues, auth.enabled());
    }
}
