package dev.conveyor.api;

import java.util.Map;

import jakarta.inject.Singleton;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.conveyor.events.EventStreams;
import dev.conveyor.role.ApiRole;

/** Turns what an event stream delivers into server-sent events: job changes, gaps, heartbeat comments. */
@ApiRole
@Singleton
class EventSse {

    private final ObjectMapper json;

    EventSse(ObjectMapper json) {
        this.json = json;
    }

    OutboundSseEvent toSse(Sse sse, EventStreams.Delivery delivery) {
        if (delivery.heartbeat()) {
            return sse.newEventBuilder().comment("keep-alive").build();
        }
        OutboundSseEvent.Builder event = sse.newEventBuilder().id(delivery.position());
        if (delivery.event().reset()) {
            return event.name("gap").data(String.class, write(Map.of("queue", delivery.event().queue(), "detail",
                    "events of this queue were missed: they are older than the stream keeps, or were not recorded "
                            + "while nobody listened; read the jobs' state again"))).build();
        }
        return event.name("job").data(String.class, write(EventView.of(delivery.event()))).build();
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event not serializable", e);
        }
    }
}
