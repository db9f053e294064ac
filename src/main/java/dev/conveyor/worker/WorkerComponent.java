package dev.conveyor.worker;

/** One of the worker's background parts, started and stopped by {@link Worker} in a fixed order. */
interface WorkerComponent {

    /** Begins its work in the background and returns. */
    void start();

    /** Ends its work; returns once it is done (the claim loop drains its jobs first). */
    void stop();
}
