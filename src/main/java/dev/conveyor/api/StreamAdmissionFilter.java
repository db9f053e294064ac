package dev.conveyor.api;

import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.quarkus.arc.properties.UnlessBuildProperty;
import io.smallrye.mutiny.Uni;

/**
 * Admits a client to an event stream, or answers a problem instead: a stream's status and headers are sent before
 * its first event, so what can fail later must be checked here. The caller's rate is charged once for the stream; a
 * job's stream needs the job to exist (404 otherwise), the same answer as {@code GET /jobs/{id}}. The build condition
 * is spelled out rather than {@code @ApiRole}, as for {@link ProblemMappers}: the generated filter bean ignores
 * stereotypes' conditions.
 */
@UnlessBuildProperty(name = "conveyor.role", stringValue = "worker", enableIfMissing = true)
class StreamAdmissionFilter {

    private final Access access;
    private final JobLookup jobs;

    StreamAdmissionFilter(Access access, JobLookup jobs) {
        this.access = access;
        this.jobs = jobs;
    }

    @ServerRequestFilter
    @StreamAdmission
    Uni<Void> admit(UriInfo uri) {
        String job = uri.getPathParameters().getFirst("id");
        return access.enter(1).chain(caller -> job == null ? Uni.createFrom().voidItem()
                : jobs.find(caller, job).replaceWithVoid());
    }
}
