package dev.conveyor.auth;

import java.util.Set;

import jakarta.inject.Singleton;

import dev.conveyor.role.ApiRole;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code Authorization: Bearer <token>}: a token with dots is a JWT, left to SmallRye JWT's mechanism (which runs after
 * this one); any other is an API key. No header: anonymous, which the endpoints' role checks refuse with 401. With access control off, every
 * request is the open caller.
 */
@ApiRole
@Singleton
public class BearerMechanism implements HttpAuthenticationMechanism {

    private static final String SCHEME = "Bearer ";
    private static final ChallengeData CHALLENGE = new ChallengeData(401, HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");

    private final boolean enabled;
    private final Uni<SecurityIdentity> open;

    BearerMechanism(AuthConfig config) {
        this.enabled = config.enabled();
        this.open = Uni.createFrom().item(Identities.of(Caller.OPEN));
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        if (!enabled) {
            return open;
        }
        String header = context.request().getHeader(HttpHeaderNames.AUTHORIZATION);
        if (header == null) {
            return Uni.createFrom().nullItem();
        }
        if (header.length() <= SCHEME.length() || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Uni.createFrom().failure(new AuthenticationFailedException("not a bearer token"));
        }
        String token = header.substring(SCHEME.length()).trim();
        if (token.indexOf('.') >= 0) {
            return Uni.createFrom().nullItem(); // a JWT: SmallRye JWT's mechanism, next in line, verifies it
        }
        return identities.authenticate(new ApiKeyRequest(token));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(CHALLENGE);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiKeyRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, "bearer"));
    }

    /** Before SmallRye JWT's own mechanism, which would also read the header. */
    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 100;
    }
}
