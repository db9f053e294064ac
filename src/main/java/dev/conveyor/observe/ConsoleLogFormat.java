package dev.conveyor.observe;

import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Logger;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.handlers.ConsoleHandler;

import io.quarkus.runtime.StartupEvent;

/**
 * Plain-text console lines in Quarkus' default format get their timestamp from {@link CachedTimestampFormatter}, from
 * start-up on. JSON lines (quarkus-logging-json, switched on with {@code conveyor.log.json}) are left as they are:
 * the cached formatter only replaces one that writes the very same line.
 */
@ApplicationScoped
public class ConsoleLogFormat {

    void install(@Observes @Priority(0) StartupEvent event,
            @ConfigProperty(name = "quarkus.log.console.format") Optional<String> format) {
        format.ifPresent(pattern -> replace(Logger.getLogger("").getHandlers(), pattern));
    }

    private static void replace(Handler[] handlers, String pattern) {
        for (Handler handler : handlers) {
            if (handler instanceof ConsoleHandler console) {
                console.setFormatter(CachedTimestampFormatter.replacing(console.getFormatter(), pattern));
            }
            if (handler instanceof ExtHandler parent) {
                replace(parent.getHandlers(), pattern);
            }
        }
    }
}
