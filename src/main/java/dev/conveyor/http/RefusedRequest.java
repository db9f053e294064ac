package dev.conveyor.http;

/** A request that the rules forbid (a blocked destination, an unknown secret...): sending it again cannot help. */
public class RefusedRequest extends RuntimeException {

    public RefusedRequest(String message) {
        super(message);
    }
}
