package dev.conveyor.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.conveyor.auth.Role;
import dev.conveyor.job.Job;
import dev.conveyor.queue.QueueInspector;
import dev.conveyor.queue.QueueStats;
import dev.conveyor.role.ApiRole;
import io.smallrye.mutiny.Uni;

@Path("/stats")
@Tag(name = "Queues")
@Produces(MediaType.APPLICATION_JSON)
@ApiRole
public class StatsResource {

    static final int MAX_MINUTES = 60;
    /** Failures listed, over all queues. */
    static final int RECENT_FAILURES = 20;

    /** The whole system at a glance. */
    public record StatsView(
            @Schema(required = true, description = "Per queue: paused, and jobs per status.")
            Map<String, QueueResource.QueueView> queues,
            @Schema(required = true, description = "Per job type, counters since the queues began: enqueued, "
                    + "succeeded, retried, failed, cancelled, recovered.") Map<String, Map<String, Long>> byType,
            @Schema(required = true, description = "The latest jobs that failed for good, newest first.")
            List<Failure> recentFailures,
            @Schema(required = true, description = "Jobs that succeeded and that failed for good per minute, newest "
                    + "minute first (the current one is partial), as workers count them: stored with each heartbeat.")
            List<Minute> throughput) {
    }

    public record Failure(@Schema(required = true, pattern = JobView.ID_PATTERN) String id,
            @Schema(required = true) String type,
            @Schema(required = true, pattern = JobView.QUEUE_PATTERN) String queue,
            @Schema(required = true, nullable = true) String error,
            @Schema(required = true, minimum = "0") int attempts,
            @Schema(required = true, nullable = true) Instant finishedAt) {
    }

    public record Minute(@Schema(required = true) Instant minute, @Schema(required = true, minimum = "0") long succeeded,
            @Schema(required = true, minimum = "0") long failed) {
    }

    private final QueueInspector inspector;
    private final QueueResource queues;
    private final Access access;

    StatsResource(QueueInspector inspector, QueueResource queues, Access access) {
        this.inspector = inspector;
        this.queues = queues;
        this.access = access;
    }

    @GET
    @RolesAllowed(Role.READ_NAME)
    @Operation(operationId = "getStats", summary = "Statistics", description = "Counts by status per queue, counters by job type, recent "
            + "failures and throughput over the last minutes. Reads counters and indexes only: no scan of jobs.")
    @APIResponse(responseCode = "200", description = "Statistics",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = StatsView.class)))
    @APIResponse(responseCode = "422", description = "minutes out of range",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<StatsView> stats(
            @Parameter(description = "Throughput window in minutes, 1 to 60 (default 15)", schema = @Schema(
                    type = SchemaType.INTEGER, minimum = "1", maximum = "60", defaultValue = "15"))
            @QueryParam("minutes") String minutes) {
        int window = minutes == null || minutes.isBlank() ? 15 : JobResource.parseInt(minutes);
        if (window < 1 || window > MAX_MINUTES) {
            throw ProblemException.invalid("minutes", "must be between 1 and " + MAX_MINUTES);
        }
        return access.enter(1).chain(queues::visible).chain(views -> inspector
                .stats(views.stream().map(QueueResource.QueueView::name).toList(), window, RECENT_FAILURES)
                .map(perQueue -> combine(views, perQueue, window)));
    }

    private static StatsView combine(List<QueueResource.QueueView> views, List<QueueStats> perQueue, int window) {
        Map<String, QueueResource.QueueView> byQueue = new LinkedHashMap<>();
        views.forEach(view -> byQueue.put(view.name(), view));
        Map<String, Map<String, Long>> byType = new TreeMap<>();
        List<Job> failures = new ArrayList<>();
        long[] succeeded = new long[window];
        long[] failed = new long[window];
        Instant[] starts = new Instant[window];
        for (QueueStats stats : perQueue) {
            stats.byType().forEach((type, counters) -> counters.forEach((event, n) ->
                    byType.computeIfAbsent(type, t -> new TreeMap<>()).merge(event, n, Long::sum)));
            failures.addAll(stats.recentFailures());
            for (int m = 0; m < stats.perMinute().size(); m++) {
                starts[m] = stats.perMinute().get(m).start();
                succeeded[m] += stats.perMinute().get(m).succeeded();
                failed[m] += stats.perMinute().get(m).failed();
            }
        }
        List<Failure> recent = failures.stream()
                .sorted(Comparator.comparing(Job::finishedAt, Comparator.nullsLast(Comparator.reverseOrder())))
                .limit(RECENT_FAILURES)
                .map(job -> new Failure(job.id().toString(), job.type(), job.queue(), job.error(), job.attempts(),
                        job.finishedAt()))
                .toList();
        List<Minute> throughput = new ArrayList<>();
        for (int m = 0; m < window && starts[m] != null; m++) {
            throughput.add(new Minute(starts[m], succeeded[m], failed[m]));
        }
        return new StatsView(byQueue, byType, recent, throughput);
    }
}
