package dev.conveyor.handler.builtin;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.conveyor.handler.JobContext;
import dev.conveyor.handler.JobHandler;
import io.smallrye.mutiny.Uni;

/** {@code echo}: the result is the payload. */
@Singleton
public class EchoHandler implements JobHandler<ObjectNode, ObjectNode> {

    @Override
    public String type() {
        return "echo";
    }

    @Override
    public Class<ObjectNode> payloadType() {
        return ObjectNode.class;
    }

    @Override
    public Uni<ObjectNode> handle(ObjectNode payload, JobContext context) {
        return Uni.createFrom().item(payload);
    }

    @Override
    public String examplePayload() {
        return "{\"message\": \"hello\"}";
    }
}
