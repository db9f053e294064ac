package dev.conveyor.api;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.conveyor.role.ApiRole;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;

/**
 * Refuses bodies over {@code conveyor.api.max-body-size} with a 413 problem before reading them. (Vert.x also
 * enforces {@code quarkus.http.limits.max-body-size}, set to the same value, for bodies without a length.)
 */
@Singleton
@ApiRole
public class BodyLimit {

    private final ApiConfig config;
    private final ObjectMapper mapper;

    BodyLimit(ApiConfig config, ObjectMapper mapper) {
        this.config = config;
        this.mapper = mapper;
    }

    void install(@Observes Router router) {
        long limit = config.maxBodySize().asLongValue();
        router.route().order(-1000).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && isOver(length, limit)) {
                Problem problem = new Problem(ProblemException.type("too-large"), "Payload too large", 413,
                        "the body has " + length + " bytes; the limit is " + limit, ctx.request().path(), null, null);
                try {
                    ctx.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                            .putHeader(HttpHeaders.CONNECTION, "close")
                            .end(mapper.writeValueAsString(problem));
                } catch (JsonProcessingException e) {
                    ctx.fail(e);
                }
                return;
            }
            ctx.next();
        });
    }

    private static boolean isOver(String length, long limit) {
        try {
            return Long.parseLong(length.trim()) > limit;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
