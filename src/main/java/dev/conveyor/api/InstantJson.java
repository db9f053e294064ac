package dev.conveyor.api;

import java.io.IOException;
import java.time.Instant;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import dev.conveyor.role.ApiRole;
import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Instants in answers as ISO-8601 text, exactly as Jackson writes them ({@link Instant#toString()}), with the latest
 * text remembered: the jobs of a batch share their createdAt and runAt, and formatting each of those 2000 instants
 * anew was a tenth of a 1000-job batch's time in the API (JFR, bench/run.sh).
 */
@Singleton
@ApiRole
class InstantJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule("conveyor-instants").addSerializer(Instant.class, new Serializer()));
    }

    @Override
    public int priority() {
        // after Quarkus' own customizers, whose JavaTimeModule would otherwise take Instant back
        return MINIMUM_PRIORITY;
    }

    static final class Serializer extends StdSerializer<Instant> {

        private volatile Text last = new Text(Instant.EPOCH, Instant.EPOCH.toString());

        Serializer() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator json, SerializerProvider provider) throws IOException {
            Text text = last;
            if (!text.instant.equals(value)) {
                text = new Text(value, value.toString());
                last = text;
            }
            json.writeString(text.text);
        }

        /** An instant and its text (a class, not a record: records of this package are JSON bodies). */
        private static final class Text {
            final Instant instant;
            final String text;

            Text(Instant instant, String text) {
                this.instant = instant;
                this.text = text;
            }
        }
    }
}
