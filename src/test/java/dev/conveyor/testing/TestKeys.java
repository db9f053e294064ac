package dev.conveyor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * API keys for tests, and the keys file that lets them in ({@code conveyor.auth.keys-file}): only their SHA-256 hashes
 * are written, as in production.
 */
public final class TestKeys {

    /** admin of every queue */
    public static final String ADMIN = "cvk_test-admin-3Jq9sV2mXo7Lr4Tb8WnY1cZe5Hg0Kd6Pa";

    private TestKeys() {
    }

    /** One entry of a keys file; rate null for none. */
    public record Entry(String name, String key, List<String> roles, List<String> queues, String rate) {
        String json() {
            return "{\"name\":\"" + name + "\",\"sha256\":\"" + sha256(key) + "\",\"roles\":" + list(roles)
                    + ",\"queues\":" + list(queues) + (rate == null ? "" : ",\"rate\":\"" + rate + "\"") + "}";
        }
    }

    public static Entry admin() {
        return new Entry("test-admin", ADMIN, List.of("admin"), List.of("*"), null);
    }

    /** Writes (atomically replaces) a keys file holding these entries. */
    public static Path write(Path file, List<Entry> entries) {
        return writeText(file, entries.stream().map(Entry::json)
                .collect(Collectors.joining(",\n", "{\"keys\": [\n", "\n]}\n")));
    }

    /** Writes (atomically replaces) a keys file with this text, valid or not. */
    public static Path writeText(Path file, String json) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path next = Files.createTempFile(file.toAbsolutePath().getParent(), "keys", ".json");
            Files.writeString(next, json);
            return Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new temporary keys file holding these entries. */
    public static Path newFile(List<Entry> entries) {
        try {
            return write(Files.createTempDirectory("conveyor-keys").resolve("keys.json"), entries);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value of an Authorization header for this key. */
    public static String bearer(String key) {
        return "Bearer " + key;
    }

    public static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String list(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(",", "[", "]"));
    }
}
