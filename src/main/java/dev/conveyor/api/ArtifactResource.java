package dev.conveyor.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.conveyor.auth.Role;
import dev.conveyor.job.JobId;
import dev.conveyor.queue.ArtifactStore;
import dev.conveyor.queue.JobArtifact;
import dev.conveyor.role.ApiRole;
import io.smallrye.mutiny.Uni;

/** {@code GET /jobs/{id}/artifact}: the file a job's handler attached (a report), as a download. */
@Path("/jobs/{id}/artifact")
@Tag(name = "Jobs")
@ApiRole
public class ArtifactResource {

    private final ArtifactStore artifacts;
    private final JobLookup jobs;
    private final Access access;

    ArtifactResource(ArtifactStore artifacts, JobLookup jobs, Access access) {
        this.artifacts = artifacts;
        this.jobs = jobs;
        this.access = access;
    }

    @GET
    @RolesAllowed({Role.SUBMIT_NAME, Role.READ_NAME})
    @Operation(operationId = "getJobArtifact", summary = "Download a job's artifact", description = "The file the "
            + "job's handler attached (a generate_report job's CSV or PDF), with its media type and file name "
            + "(Content-Disposition: attachment). It lives as long as the job: 404 once retention removed the job.")
    @APIResponse(responseCode = "200", description = "The file; its name in Content-Disposition",
            headers = {
                    @Header(name = "Content-Disposition", description = "attachment; filename=\"...\"; "
                            + "filename*=UTF-8''...", schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = "Content-Length", schema = @Schema(type = SchemaType.INTEGER)),
                    @Header(name = "X-Content-Type-Options", schema = @Schema(type = SchemaType.STRING,
                            enumeration = "nosniff"))},
            content = {
                    @Content(mediaType = "application/pdf",
                            schema = @Schema(type = SchemaType.STRING, format = "binary")),
                    @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING)),
                    @Content(mediaType = "application/octet-stream",
                            schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @APIResponse(responseCode = "404", description = "Unknown job (type not-found), removed by retention (type "
            + "job-expired), or a job without an artifact (type no-artifact: none attached, or not yet)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> artifact(
            @Parameter(description = "Job id, as returned on enqueue", example = "default.01JDQ8Z6V3M4T2K9N7P5R1S0XA",
                    schema = @Schema(type = SchemaType.STRING, pattern = JobView.ID_PATTERN))
            @PathParam("id") String id) {
        return access.enter(1).chain(caller -> {
            JobId jobId = jobs.granted(caller, id);
            return artifacts.read(jobId).chain(artifact -> {
                if (!artifact.jobFound()) {
                    return jobs.missing(jobId);
                }
                if (!artifact.present()) {
                    return Uni.createFrom().failure(new ProblemException(404, "no-artifact", "No artifact",
                            "job " + id + " has no artifact: its handler attached none (or has not yet)", null, null));
                }
                return Uni.createFrom().item(download(artifact));
            });
        });
    }

    private static Response download(JobArtifact artifact) {
        return Response.ok(artifact.content(), artifact.type())
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment(artifact.name()))
                .header(HttpHeaders.CONTENT_LENGTH, artifact.content().length)
                .header("X-Content-Type-Options", "nosniff")
                .header(HttpHeaders.CACHE_CONTROL, "private")
                .build();
    }
}
