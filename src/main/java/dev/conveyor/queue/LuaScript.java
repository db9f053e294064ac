package dev.conveyor.queue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;

/** One Lua script from {@code src/main/resources/lua/}, called by its SHA-1 (EVALSHA) with EVAL as the fallback. */
final class LuaScript {

    final String name;
    private final String source;
    private final String sha;

    private LuaScript(String name, String source) {
        this.name = name;
        this.source = source;
        this.sha = sha1(source);
    }

    static LuaScript load(String name) {
        String path = "lua/" + name + ".lua";
        try (InputStream in = LuaScript.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing script " + path);
            }
            return new LuaScript(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Request evalsha(List<String> keys, List<String> args) {
        return call(Request.cmd(Command.EVALSHA).arg(sha), keys, args);
    }

    /** After a Redis restart the script cache is empty (NOSCRIPT): EVAL runs the script and caches it again. */
    Request eval(List<String> keys, List<String> args) {
        return call(Request.cmd(Command.EVAL).arg(source), keys, args);
    }

    Request load() {
        return Request.cmd(Command.SCRIPT).arg("LOAD").arg(source);
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
