package dev.conveyor.devservices;

import java.net.URI;
import java.nio.file.Path;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Dev mode without Docker or an installed Redis: if nothing answers at {@code quarkus.redis.hosts} on loopback, start
 * a local redis-server there before anything talks to Redis, and stop it on exit.
 */
@ApplicationScoped
@IfBuildProfile("dev")
public class DevRedis {

    private static final Logger LOG = Logger.getLogger(DevRedis.class);

    @ConfigProperty(name = "quarkus.redis.hosts")
    URI hosts;

    private LocalRedis redis;

    void start(@Observes @Priority(1) StartupEvent event) throws Exception {
        String host = hosts.getHost();
        int port = hosts.getPort() > 0 ? hosts.getPort() : 6379;
        if (LocalRedis.answers(host, port)) {
            LOG.infof("Dev mode: using the Redis that answers at %s", hosts);
            return;
        }
        if (!host.equals("localhost") && !host.startsWith("127.")) {
            LOG.warnf("Dev mode: no Redis answers at %s (not loopback, so none is started)", hosts);
            return;
        }
        Path dir = Path.of("target", "dev-redis");
        redis = LocalRedis.start(port, dir);
        LOG.infof("Dev mode: no Redis answered at %s, so an embedded redis-server (%s) was started on port %d; "
                + "its data and log are in %s and it stops with dev mode", hosts, redis.binary(), port, dir);
    }

    void stop(@Observes ShutdownEvent event) {
        if (redis != null) {
            redis.close();
            redis = null;
        }
    }
}
