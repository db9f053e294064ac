package dev.conveyor.http;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;

/** {@link HttpConfig} with given values, for tests that build the outbound client without Quarkus. */
public record TestHttpConfig(List<String> networks, boolean follow, int hops, long maxBytes,
        Map<String, String> secretValues) implements HttpConfig {

    @Override
    public Optional<List<String>> allowedNetworks() {
        return Optional.of(networks);
    }

    @Override
    public boolean followRedirects() {
        return follow;
    }

    @Override
    public int maxRedirects() {
        return hops;
    }

    @Override
    public MemorySize maxResponseSize() {
        return new MemorySize(BigInteger.valueOf(maxBytes));
    }

    @Override
    public Map<String, String> secrets() {
        return secretValues;
    }
}
