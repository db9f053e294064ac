package dev.conveyor.http;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code conveyor.http.*}: where outbound requests (the {@code http} job type) may go, and how much they may read. */
@ConfigMapping(prefix = "conveyor.http")
public interface HttpConfig {

    /** CIDRs that requests may reach although they are loopback, private, link-local...; none by default. */
    Optional<List<String>> allowedNetworks();

    /** Whether a 3xx answer is followed; each hop is checked like the first request. */
    @WithDefault("false")
    boolean followRedirects();

    /** Most redirects one request follows when they are followed. */
    @WithDefault("3")
    int maxRedirects();

    /** Most response body bytes read; past it the connection is closed and the stored body marked truncated. */
    @WithDefault("1M")
    MemorySize maxResponseSize();

    /** Header values jobs may name ({@code {"secret": "<name>"}}) without storing them in Redis. */
    Map<String, String> secrets();
}
