package dev.conveyor.api;

import java.nio.charset.StandardCharsets;

/**
 * {@code Content-Disposition: attachment} for a file name from a handler (RFC 6266): an ASCII {@code filename} for old
 * clients, and the exact name as {@code filename*} (RFC 8187, UTF-8, percent-encoded). Path separators, quotes and
 * control characters never reach the header.
 */
final class ContentDisposition {

    private static final String ATTR_CHARS = "!#$&+-.^_`|~";

    private ContentDisposition() {
    }

    static String attachment(String name) {
        String safe = safe(name);
        return "attachment; filename=\"" + ascii(safe) + "\"; filename*=UTF-8''" + encoded(safe);
    }

    /** The name without path separators, quotes or control characters (each an underscore). */
    static String safe(String name) {
        StringBuilder out = new StringBuilder(name.length());
        name.codePoints().forEach(cp -> out.appendCodePoint(
                cp == '/' || cp == '\\' || cp == '"' || Character.isISOControl(cp)
                        || Character.getType(cp) == Character.FORMAT ? '_' : cp));
        String safe = out.toString().strip();
        return safe.isEmpty() || safe.chars().allMatch(c -> c == '.') ? "artifact" : safe;
    }

    private static String ascii(String name) {
        StringBuilder out = new StringBuilder(name.length());
        name.codePoints().forEach(cp -> out.append(cp >= 0x20 && cp < 0x7f ? (char) cp : '_'));
        return out.toString();
    }

    private static String encoded(String name) {
        StringBuilder out = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 0x80 && (Character.isLetterOrDigit(c) || ATTR_CHARS.indexOf(c) >= 0)) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
