package dev.conveyor.observe;

import java.util.logging.Handler;
import java.util.logging.Logger;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.handlers.ConsoleHandler;

import io.quarkus.runtime.StartupEvent;

/**
 * With {@code conveyor.log.json=true}, the console writes one JSON object per line from start-up on. (The
 * quarkus-logging-json extension would do this from the first line, but its artifact for this Quarkus version is not
 * on this project's Maven mirror.)
 */
@ApplicationScoped
public class JsonLogs {

    void install(@Observes @Priority(0) StartupEvent event, LogConfig config) {
        if (config.json()) {
            useJson(Logger.getLogger("").getHandlers());
        }
    }

    private static void useJson(Handler[] handlers) {
        for (Handler handler : handlers) {
            if (handler instanceof ConsoleHandler console) {
                console.setFormatter(new JsonLineFormatter());
            }
            if (handler instanceof ExtHandler parent) {
                useJson(parent.getHandlers());
            }
        }
    }
}
