package dev.conveyor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What {@link OpenApiValidationFilter} checked in this test run. Each Quarkus test profile loads the test classes
 * anew, so the counts live in a JDK object among the system properties, which every class loader shares; violations
 * are also written to {@code target/openapi-violations.txt}.
 */
public final class ValidationCounts {

    private static final String KEY = "conveyor.openapi-validation";
    private static final int BOTH = 0;
    private static final int RESPONSE_ONLY = 1;
    private static final int UNMATCHED = 2;
    private static final int VIOLATIONS = 3;
    static final Path VIOLATIONS_FILE = Path.of("target", "openapi-violations.txt");

    private ValidationCounts() {
    }

    private static AtomicLongArray counts() {
        return (AtomicLongArray) System.getProperties().computeIfAbsent(KEY, key -> new AtomicLongArray(4));
    }

    static void exchange(boolean requestChecked) {
        counts().incrementAndGet(requestChecked ? BOTH : RESPONSE_ONLY);
    }

    static void unmatched() {
        counts().incrementAndGet(UNMATCHED);
    }

    static synchronized void violation(String description) {
        counts().incrementAndGet(VIOLATIONS);
        try {
            Files.createDirectories(VIOLATIONS_FILE.getParent());
            Files.writeString(VIOLATIONS_FILE, description + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static long violations() {
        return counts().get(VIOLATIONS);
    }

    public static String summary() {
        AtomicLongArray counts = counts();
        return "OpenAPI validation: " + (counts.get(BOTH) + counts.get(RESPONSE_ONLY)) + " exchanges validated ("
                + counts.get(BOTH) + " requests and responses, " + counts.get(RESPONSE_ONLY) + " responses to refused "
                + "requests), " + counts.get(UNMATCHED) + " answers to paths or methods outside the document, "
                + counts.get(VIOLATIONS) + " violations";
    }
}
