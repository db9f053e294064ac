package dev.conveyor.handler;

/** Patterns shared by the API's request schemas and the handlers' payload schemas in the OpenAPI document. */
public final class SchemaPatterns {

    /**
     * An ISO-8601 duration of days, hours, minutes and seconds, as {@code java.time.Duration} reads and writes it
     * ({@code PT30S}, {@code P1DT2H}); no character that would need escaping in JSON text.
     */
    public static final String DURATION = "^P([0-9]+D)?(T([0-9]+H)?([0-9]+M)?([0-9]+([.,][0-9]{1,9})?S)?)?$";

    private SchemaPatterns() {
    }
}
