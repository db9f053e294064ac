package dev.conveyor.handler;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;

/** Turns a job's JSON payload into its handler's payload class, and checks it with Bean Validation. */
@Singleton
public class PayloadReader {

    /** One problem with a payload; {@code path} is relative to the payload ("ms", "headers.x"), empty for itself. */
    public record Violation(String path, String message) {
    }

    private final ObjectMapper mapper;
    private final Validator validator;
    /** Readers per payload class and one writer, built once: every job reads a payload and writes a result. */
    private final Map<Class<?>, ObjectReader> readers = new ConcurrentHashMap<>();
    private final ObjectWriter writer;

    PayloadReader(ObjectMapper mapper, Validator validator) {
        this.mapper = mapper;
        this.validator = validator;
        this.writer = mapper.writer();
    }

    /** Everything wrong with this payload for this handler; empty when it is valid. */
    public List<Violation> check(JobHandler<?, ?> handler, JsonNode payload) {
        Object value;
        try {
            value = mapper.treeToValue(payload, handler.payloadType());
        } catch (JsonMappingException e) {
            return List.of(new Violation(jsonPath(e), problem(e)));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            // Jackson's messages name Java classes; clients only need to know where
            return List.of(new Violation("", "is not valid for this job type"));
        }
        if (value == null) {
            return List.of(new Violation("", "must be a JSON object"));
        }
        List<Violation> violations = new ArrayList<>();
        for (ConstraintViolation<Object> v : validator.validate(value)) {
            violations.add(new Violation(v.getPropertyPath().toString(), v.getMessage()));
        }
        if (violations.isEmpty() && value instanceof CrossFieldCheck check) {
            violations.addAll(check.crossFieldViolations());
        }
        if (violations.isEmpty()) {
            violations.addAll(configuredViolations(handler, value));
        }
        violations.sort(Comparator.comparing(Violation::path));
        return violations;
    }

    private static <P> List<Violation> configuredViolations(JobHandler<P, ?> handler, Object payload) {
        return handler.configuredViolations(handler.payloadType().cast(payload));
    }

    /** The payload as its handler's class; the payload was checked at enqueue time. */
    public <P> P read(JobHandler<P, ?> handler, String payloadJson) throws JsonProcessingException {
        return readers.computeIfAbsent(handler.payloadType(), mapper::readerFor).readValue(payloadJson);
    }

    public String write(Object result) throws JsonProcessingException {
        return writer.writeValueAsString(result);
    }

    /** Where in the JSON document a binding error happened: {@code a.b[2].c}, empty for the root. */
    public static String jsonPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String problem(JsonMappingException e) {
        if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException) {
            return "unknown field";
        }
        if (e instanceof com.fasterxml.jackson.databind.exc.InvalidFormatException
                || e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException) {
            return "has the wrong type or format";
        }
        return "is not valid";
    }
}
