package dev.conveyor.observe;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

import dev.conveyor.queue.ScriptLoader;

/** Started once the store has loaded its Lua scripts into Redis. */
@Startup
@ApplicationScoped
public class ScriptsStartup implements HealthCheck {

    private final ScriptLoader scripts;

    ScriptsStartup(ScriptLoader scripts) {
        this.scripts = scripts;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("scripts").status(scripts.loaded()).build();
    }
}
