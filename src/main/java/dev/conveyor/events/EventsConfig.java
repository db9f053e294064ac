package dev.conveyor.events;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;

/** {@code conveyor.events.*}: the job-change streams read by SSE clients and result waits. Defaults in application.properties. */
@ConfigMapping(prefix = "conveyor.events")
public interface EventsConfig {

    /** Entries kept per queue's events stream (trimmed approximately): how far back a reconnecting client resumes. */
    int capacity();

    /** How long a queue's events stream outlives its last listener. */
    Duration retention();

    /** How long a queue's events stay recorded after a pod stops saying it listens (said every third of it). */
    Duration listenTtl();

    /** Most event streams (SSE clients) open at once on one API pod; more get 503. */
    int maxStreams();

    /** Interval of the comment lines that keep idle streams open through proxies. */
    Duration heartbeat();

    /** Events held for one SSE client that reads slower than they come; beyond, the client is dropped. */
    int clientBuffer();
}
