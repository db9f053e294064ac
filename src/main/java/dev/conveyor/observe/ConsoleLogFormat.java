package dev.conveyor.observe;

import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.logging.Formatter;
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
 * The console's formatter, from start-up on. With {@code conveyor.log.json=true}: one JSON object per line (the
 * quarkus-logging-json extension would do this from the first line, but its artifact for this Quarkus version is not
 * on this project's Maven mirror). Otherwise Quarkus' own format, with the timestamp of the default format written
 * by {@link CachedTimestampFormatter}.
 */
@ApplicationScoped
public class ConsoleLogFormat {

    void install(@Observes @Priority(0) StartupEvent event, LogConfig config,
            @ConfigProperty(name = "quarkus.log.console.format") Optional<String> format) {
        if (config.json()) {
            replace(Logger.getLogger("").getHandlers(), current -> new JsonLineFormatter());
        } else if (format.isPresent()) {
            replace(Logger.getLogger("").getHandlers(),
                    current -> CachedTimestampFormatter.replacing(current, format.get()));
        }
    }

    private static void replace(Handler[] handlers, UnaryOperator<Formatter> replacement) {
        for (Handler handler : handlers) {
            if (handler instanceof ConsoleHandler console) {
                console.setFormatter(replacement.apply(console.getFormatter()));
            }
            if (handler instanceof ExtHandler parent) {
                replace(parent.getHandlers(), replacement);
            }
        }
    }
}
