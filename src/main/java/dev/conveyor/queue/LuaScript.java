package dev.conveyor.queue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;

/**
 * One Lua script from {@code src/main/resources/lua/}, called by its SHA-1 (EVALSHA) with EVAL as the fallback.
 * Redis scripts cannot share code, so a line {@code --- @include "includes/name"} is replaced by that file of
 * {@code lua/} (BullMQ's convention): recursively, each file inserted once, when the script is loaded.
 * <p>
 * A script may start with Redis 7's flags line ({@code #!lua flags=allow-oom}). Redis 6.2 cannot parse it, so each
 * script also comes without flags: the same text with that line turned into a comment, and its own SHA.
 */
final class LuaScript {

    private static final Pattern INCLUDE = Pattern.compile("^--- @include \"([\\w/-]+)\"[ \\t]*$", Pattern.MULTILINE);
    private static final String FLAGS_LINE = "#!lua";

    final String name;
    private final String source;
    private final String sha;
    private final String sourceWithoutFlags;
    private final String shaWithoutFlags;

    private LuaScript(String name, String source) {
        this.name = name;
        this.source = source;
        this.sha = sha1(source);
        // "--" for "#!": a comment, so that line numbers in Redis' error messages stay the same
        this.sourceWithoutFlags = source.startsWith(FLAGS_LINE) ? "--" + source.substring(2) : source;
        this.shaWithoutFlags = sha1(sourceWithoutFlags);
    }

    /** @throws IllegalStateException when the script or one of its includes does not exist */
    static LuaScript load(String name) {
        return new LuaScript(name, assemble(name, read(name, "a script"), new HashSet<>()));
    }

    private static String assemble(String name, String text, Set<String> included) {
        Matcher include = INCLUDE.matcher(text);
        StringBuilder assembled = new StringBuilder();
        while (include.find()) {
            String file = include.group(1);
            String insert = included.add(file) ? assemble(file, read(file, "included by " + name), included) : "";
            include.appendReplacement(assembled, Matcher.quoteReplacement(insert));
        }
        return include.appendTail(assembled).toString();
    }

    private static String read(String name, String role) {
        String path = "lua/" + name + ".lua";
        try (InputStream in = LuaScript.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing Lua file " + path + " (" + role + ")");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The script as Redis runs it, includes inserted; with its flags line, or with that line a comment. */
    String source(boolean withFlags) {
        return withFlags ? source : sourceWithoutFlags;
    }

    String sha(boolean withFlags) {
        return withFlags ? sha : shaWithoutFlags;
    }

    Request evalsha(boolean withFlags, List<String> keys, List<String> args) {
        return call(Request.cmd(Command.EVALSHA).arg(sha(withFlags)), keys, args);
    }

    /** As {@link #evalsha(boolean, List, List)}, with {@code bytes} as the last argument, sent as they are. */
    Request evalsha(boolean withFlags, List<String> keys, List<String> args, byte[] bytes) {
        return evalsha(withFlags, keys, args).arg(bytes);
    }

    /** After a Redis restart the script cache is empty (NOSCRIPT): EVAL runs the script and caches it again. */
    Request eval(boolean withFlags, List<String> keys, List<String> args) {
        return call(Request.cmd(Command.EVAL).arg(source(withFlags)), keys, args);
    }

    /** As {@link #eval(boolean, List, List)}, with {@code bytes} as the last argument, sent as they are. */
    Request eval(boolean withFlags, List<String> keys, List<String> args, byte[] bytes) {
        return eval(withFlags, keys, args).arg(bytes);
    }

    Request load(boolean withFlags) {
        return Request.cmd(Command.SCRIPT).arg("LOAD").arg(source(withFlags));
    }

    private static Request call(Request request, List<String> keys, List<String> args) {
        request.arg(keys.size());
        keys.forEach(request::arg);
        args.forEach(request::arg);
        return request;
    }

    private static String sha1(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
