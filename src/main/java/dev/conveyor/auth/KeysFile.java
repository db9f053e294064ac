package dev.conveyor.auth;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.conveyor.job.QueueName;

/**
 * Reads the API keys file: {@code {"keys": [{"name", "sha256", "roles", "queues", "rate"}]}}. Strict: an unknown field,
 * role or queue, a hash listed twice, or one name with two different grants makes the whole file invalid, so that a
 * typo never grants more than meant. One name may hold several keys: a client's old and new key while it rotates.
 */
final class KeysFile {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("name", "sha256", "roles", "queues", "rate");

    private KeysFile() {
    }

    /** The keys; {@link IllegalArgumentException} naming the entry and field when the file is not valid. */
    static List<ApiKey> parse(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON (line " + e.getLocation().getLineNr() + ")");
        }
        if (root == null || !root.isObject() || !root.path("keys").isArray() || root.size() != 1) {
            throw new IllegalArgumentException("must be an object with one member, \"keys\", an array");
        }
        List<ApiKey> keys = new ArrayList<>();
        Map<String, Caller> clients = new HashMap<>();
        Set<String> hashes = new HashSet<>();
        for (int i = 0; i < root.get("keys").size(); i++) {
            ApiKey key = entry(root.get("keys").get(i), "keys[" + i + "]");
            // one client may hold two keys (the old and the new while rotating), never two sets of grants
            Caller same = clients.putIfAbsent(key.caller().name(), key.caller());
            if (same != null && !same.equals(key.caller())) {
                throw new IllegalArgumentException("keys[" + i + "].name: " + key.caller().name() + " is used by an "
                        + "entry with other roles, queues or rate; the keys of one client must grant the same");
            }
            if (!hashes.add(HexFormat.of().formatHex(key.sha256()))) {
                throw new IllegalArgumentException("keys[" + i + "].sha256: the same key is listed twice");
            }
            keys.add(key);
        }
        return keys;
    }

    private static ApiKey entry(JsonNode node, String at) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(at + ": must be an object");
        }
        for (Iterator<String> fields = node.fieldNames(); fields.hasNext();) {
            String field = fields.next();
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException(at + "." + field + ": is not a known field");
            }
        }
        String name = node.path("name").asText("");
        if (!node.path("name").isTextual() || name.isBlank() || name.length() > 200) {
            throw new IllegalArgumentException(at + ".name: must be a non-empty string of at most 200 characters");
        }
        String hash = node.path("sha256").asText("");
        if (!node.path("sha256").isTextual() || !hash.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException(at + ".sha256: must be the key's SHA-256 as 64 hex digits");
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String role : strings(node.path("roles"), at + ".roles")) {
            roles.add(Role.fromWireName(role).orElseThrow(() -> new IllegalArgumentException(at + ".roles: " + role
                    + " is not one of submit, read, manage, admin")));
        }
        Set<String> queues = new LinkedHashSet<>(strings(node.path("queues"), at + ".queues"));
        for (String queue : queues) {
            if (!queue.equals(Caller.ALL_QUEUES) && !QueueName.isValid(queue)) {
                throw new IllegalArgumentException(at + ".queues: " + queue + " is not \"*\" and does not match "
                        + QueueName.RULE);
            }
        }
        Rate rate = null;
        if (node.has("rate")) {
            try {
                rate = Rate.parse(node.path("rate").asText(""));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + ".rate: " + e.getMessage());
            }
        }
        return new ApiKey(HexFormat.of().parseHex(hash), Caller.of(name, roles, queues, rate));
    }

    private static List<String> strings(JsonNode node, String at) {
        if (!node.isArray() || node.isEmpty()) {
            throw new IllegalArgumentException(at + ": must be a non-empty array of strings");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode value : node) {
            if (!value.isTextual()) {
                throw new IllegalArgumentException(at + ": must be a non-empty array of strings");
            }
            values.add(value.asText());
        }
        return values;
    }
}
