package dev.conveyor.observe;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;
import org.jboss.logging.Logger;

import dev.conveyor.queue.JobStore;
import io.quarkus.runtime.StartupEvent;

/** Loads the Lua scripts into Redis at start (retrying until Redis answers); started once they are loaded. */
@Startup
@ApplicationScoped
public class ScriptsStartup implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(ScriptsStartup.class);

    private final JobStore store;
    private volatile boolean loaded;

    ScriptsStartup(JobStore store) {
        this.store = store;
    }

    void load(@Observes StartupEvent event) {
        store.loadScripts()
                .onFailure().invoke(failure -> LOG.warnf("cannot load the Lua scripts yet (%s); retrying",
                        failure.getMessage()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).indefinitely()
                .subscribe().with(ok -> loaded = true);
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("scripts").status(loaded).build();
    }
}
