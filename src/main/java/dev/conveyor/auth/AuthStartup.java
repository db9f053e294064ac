package dev.conveyor.auth;

import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import dev.conveyor.role.ApiRole;
import io.quarkus.runtime.StartupEvent;

/** Says at start-up who can call the API, so that an open API or one that refuses everybody is never a surprise. */
@ApiRole
public class AuthStartup {

    private static final Logger LOG = Logger.getLogger(AuthStartup.class);

    void report(@Observes StartupEvent event, AuthConfig config, ApiKeys keys) {
        if (!config.enabled()) {
            LOG.warn("access control is off (conveyor.auth.enabled=false): anyone who reaches the API may do "
                    + "everything; never so in production");
            return;
        }
        boolean jwt = ConfigProvider.getConfig().getOptionalValue("mp.jwt.verify.publickey.location", String.class)
                .or(() -> ConfigProvider.getConfig().getOptionalValue("mp.jwt.verify.publickey", String.class))
                .isPresent();
        if (!keys.configured() && !jwt) {
            LOG.error("access control is on and no credential is configured (neither conveyor.auth.keys-file nor "
                    + "mp.jwt.verify.publickey.location): every API request is refused; see docs/security.md");
            return;
        }
        LOG.infof("access control is on: %s%s", keys.configured() ? "API keys" : "",
                jwt ? (keys.configured() ? " and JWTs" : "JWTs") : "");
    }
}
