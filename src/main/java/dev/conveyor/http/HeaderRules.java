package dev.conveyor.http;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which request headers a job may set, and which ones carry credentials. Framing, routing and hop-by-hop headers
 * belong to the client (a job setting them could smuggle a second request or reach another virtual host).
 */
public final class HeaderRules {

    private static final Set<String> RESERVED = Set.of("host", "content-length", "transfer-encoding", "connection",
            "keep-alive", "upgrade", "te", "trailer", "expect");
    private static final Set<String> CREDENTIALS = Set.of("authorization", "proxy-authorization", "cookie",
            "set-cookie");
    private static final String[] CREDENTIAL_PARTS = { "token", "secret", "password", "api-key", "apikey", "api_key",
            "auth", "session", "signature" };

    private HeaderRules() {
    }

    /**
     * What is wrong with a job's headers, by field path relative to the payload ({@code headers.<name>} or
     * {@code headers.<name>.secret}); empty when nothing is.
     */
    public static Map<String, String> problems(Map<String, HeaderValue> headers) {
        Map<String, String> problems = new LinkedHashMap<>();
        if (headers == null) {
            return problems;
        }
        headers.forEach((name, value) -> {
            String path = "headers." + name;
            Optional<String> refusal = refusalOfName(name);
            if (refusal.isPresent()) {
                problems.put(path, refusal.get());
            } else if (value == null || !value.valid()) {
                problems.put(path, "must be a string or {\"secret\": \"<name>\"}");
            } else if (value.secret() != null && value.secret().isBlank()) {
                problems.put(path + ".secret", "must not be blank");
            } else if (value.value() != null) {
                refusalOfValue(value.value()).ifPresent(problem -> problems.put(path, problem));
            }
        });
        return problems;
    }

    /** Why a job may not set a header of this name, or empty when it may. */
    static Optional<String> refusalOfName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (RESERVED.contains(lower) || lower.startsWith("proxy-")) {
            return Optional.of("is set by the client, not by a job");
        }
        if (name.isEmpty() || !name.chars().allMatch(HeaderRules::isTokenChar)) {
            return Optional.of("is not a valid header name");
        }
        return Optional.empty();
    }

    /** Why this header value cannot be sent, or empty when it can. */
    static Optional<String> refusalOfValue(String value) {
        return value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)
                ? Optional.of("must not contain line breaks or NUL")
                : Optional.empty();
    }

    /** True for headers whose value is a credential: shown as {@code [redacted]} in every view. */
    public static boolean isCredential(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (CREDENTIALS.contains(lower)) {
            return true;
        }
        for (String part : CREDENTIAL_PARTS) {
            if (lower.contains(part)) {
                return true;
            }
        }
        return false;
    }

    /** RFC 9110 token characters. */
    private static boolean isTokenChar(int c) {
        return c > 0x20 && c < 0x7f && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }
}
