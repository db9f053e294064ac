package dev.conveyor.it;

import java.io.IOException;
import java.util.Map;

/** The Redis a process test runs the application against: one redis-server or a cluster of them. */
interface TestRedis {

    /** Which one {@link Processes#startRedis(Topology, String...)} starts. */
    enum Topology { SINGLE, CLUSTER }

    /** The application's settings for this Redis, as environment variables. */
    Map<String, String> appEnvironment();

    /** The test's own client: it follows the cluster's slots where there is one. */
    RedisClient connect();

    /** SIGTERM of every server, and waits until each exited (each writes what it persists on the way out). */
    void sigterm();

    /** Starts every server again, same ports, directories and arguments; waits until Redis serves again. */
    void restart() throws IOException;
}
