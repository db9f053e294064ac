package dev.conveyor.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A bearer token that is an API key (not a JWT), to be checked against the keys file. */
final class ApiKeyRequest extends BaseAuthenticationRequest {

    private final String key;

    ApiKeyRequest(String key) {
        this.key = key;
    }

    String key() {
        return key;
    }
}
