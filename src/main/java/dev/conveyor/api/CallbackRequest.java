package dev.conveyor.api;

import java.util.List;

import jakarta.validation.constraints.NotBlank;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A completion webhook asked for with a job: where to POST the job's view, and for which of its final statuses. */
@Schema(name = "Callback", description = "POST the job's view to url when it ends in one of events, signed "
        + "(header Conveyor-Signature); see docs/webhooks.md. Needs conveyor.callbacks.secret on the server.",
        additionalProperties = Schema.False.class)
public record CallbackRequest(
        @Schema(required = true, format = "uri", description = "Absolute http or https URL; the rules of the http job "
                + "type apply (no loopback, private or link-local destination unless conveyor.http.allowed-networks "
                + "allows it).", examples = "https://example.com/hooks/conveyor")
        @NotBlank(message = "is required")
        String url,
        @Schema(description = "Final statuses that trigger a delivery; default all three.", uniqueItems = true,
                minItems = 1, type = SchemaType.ARRAY, implementation = CallbackRequest.Event.class)
        List<String> events) {

    /** One status a callback may ask for: the items of {@code events} in the API's document. */
    @Schema(name = "CallbackEvent", type = SchemaType.STRING, enumeration = { "succeeded", "failed", "cancelled" })
    static final class Event {

        private Event() {
        }
    }

    /** The statuses a callback may ask for, in the order of its default. */
    static final List<String> EVENTS = List.of("succeeded", "failed", "cancelled");
}
