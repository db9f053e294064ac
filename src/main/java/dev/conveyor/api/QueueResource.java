package dev.conveyor.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.conveyor.job.JobStatus;
import dev.conveyor.queue.JobStore;
import io.quarkus.arc.properties.UnlessBuildProperty;
import io.smallrye.mutiny.Uni;

@Path("/queues")
@Tag(name = "Queues")
@Produces(MediaType.APPLICATION_JSON)
@UnlessBuildProperty(name = "conveyor.role", stringValue = "worker", enableIfMissing = true)
public class QueueResource {

    /** One queue and how many of its jobs are in each status. */
    public record QueueView(String name, Map<String, Long> counts) {
    }

    private final JobStore store;

    QueueResource(JobStore store) {
        this.store = store;
    }

    @GET
    @Operation(summary = "List queues", description = "Every queue that ever had a job, with its job counts per status.")
    public Uni<List<QueueView>> list() {
        return store.queues().chain(store::counts).map(byQueue -> byQueue.entrySet().stream()
                .map(entry -> new QueueView(entry.getKey(), wireNames(entry.getValue())))
                .toList());
    }

    private static Map<String, Long> wireNames(Map<JobStatus, Long> counts) {
        Map<String, Long> named = new LinkedHashMap<>();
        counts.forEach((status, count) -> named.put(status.wireName(), count));
        return named;
    }
}
