package dev.conveyor.report;

import java.text.Normalizer;
import java.util.regex.Pattern;

/**
 * A report's file name: the client's, or one made from the title, reduced to letters, digits, {@code . _ -} and
 * spaces (no path, no quotes, no control characters), at most {@value #MAX_LENGTH} characters, ending in the format's
 * extension.
 */
final class FileNames {

    static final int MAX_LENGTH = 100;

    private static final Pattern UNSAFE = Pattern.compile("[^\\p{L}\\p{N}._ -]+");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private FileNames() {
    }

    static String of(String requested, String title, ReportFormat format) {
        String suffix = "." + format.extension;
        String base = requested == null || requested.isBlank() ? title : requested;
        base = Normalizer.normalize(base, Normalizer.Form.NFC);
        base = SPACES.matcher(UNSAFE.matcher(base).replaceAll("_")).replaceAll(" ").strip();
        if (base.regionMatches(true, Math.max(0, base.length() - suffix.length()), suffix, 0, suffix.length())) {
            base = base.substring(0, base.length() - suffix.length());
        }
        base = stripDots(base);
        if (base.isEmpty()) {
            base = "report";
        }
        int room = MAX_LENGTH - suffix.length();
        if (base.length() > room) {
            base = stripDots(base.substring(0, Character.isHighSurrogate(base.charAt(room - 1)) ? room - 1 : room));
        }
        return base + suffix;
    }

    /** No leading dots (hidden files) nor trailing ones (a dot before the extension). */
    private static String stripDots(String name) {
        int from = 0;
        int to = name.length();
        while (from < to && (name.charAt(from) == '.' || name.charAt(from) == ' ')) {
            from++;
        }
        while (to > from && (name.charAt(to - 1) == '.' || name.charAt(to - 1) == ' ')) {
            to--;
        }
        return name.substring(from, to);
    }
}
