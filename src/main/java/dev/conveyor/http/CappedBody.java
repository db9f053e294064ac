package dev.conveyor.http;

import java.nio.charset.StandardCharsets;

import io.vertx.core.buffer.Buffer;

/**
 * A response body read chunk by chunk: keeps its first {@code keep} bytes and counts the rest, and says when the
 * count passes {@code max}, so that memory stays bounded whatever the server sends.
 */
final class CappedBody {

    private final int keep;
    private final long max;
    private final Buffer kept = Buffer.buffer();
    private long received;

    CappedBody(int keep, long max) {
        this.keep = keep;
        this.max = max;
    }

    /** Takes one chunk; false once more than {@code max} bytes arrived, and the rest should not be read. */
    boolean add(Buffer chunk) {
        received += chunk.length();
        int room = keep - kept.length();
        if (room > 0) {
            kept.appendBuffer(chunk, 0, Math.min(room, chunk.length()));
        }
        return received <= max;
    }

    boolean truncated() {
        return received > keep;
    }

    /** The kept bytes as UTF-8; a character cut in half at the end is dropped. */
    String text() {
        String text = kept.toString(StandardCharsets.UTF_8);
        return truncated() && text.endsWith("\uFFFD") ? text.substring(0, text.length() - 1) : text;
    }
}
