package dev.conveyor.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.conveyor.role.ApiRole;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * The API keys of the keys file, re-read when its content changes (a rotated Kubernetes Secret), so that keys are
 * added and revoked without a restart. A file that cannot be read or is invalid keeps the keys of the last good one
 * (none at start-up), and says why in the log.
 */
@ApiRole
@Singleton
public class ApiKeys {

    private static final Logger LOG = Logger.getLogger(ApiKeys.class);

    private final Optional<Path> file;
    private volatile List<ApiKey> keys = List.of();
    private volatile byte[] lastContent;
    private volatile String lastProblem;

    ApiKeys(AuthConfig config) {
        this.file = config.enabled() ? config.keysFile() : Optional.empty();
    }

    void load(@Observes StartupEvent event) {
        reload();
    }

    @Scheduled(every = "${conveyor.auth.keys-reload}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reload() {
        if (file.isEmpty()) {
            return;
        }
        byte[] content;
        try {
            content = Files.readAllBytes(file.get());
        } catch (NoSuchFileException e) {
            problem("the keys file " + file.get() + " does not exist");
            return;
        } catch (IOException e) {
            problem("the keys file " + file.get() + " cannot be read: " + e.getMessage());
            return;
        }
        if (Arrays.equals(content, lastContent)) {
            return;
        }
        try {
            List<ApiKey> read = KeysFile.parse(new String(content, StandardCharsets.UTF_8));
            boolean first = lastContent == null;
            keys = read;
            lastContent = content;
            lastProblem = null;
            LOG.infof("%s %d API keys from %s", first ? "loaded" : "reloaded", read.size(), file.get());
        } catch (IllegalArgumentException e) {
            lastContent = content;
            problem("the keys file " + file.get() + " is invalid, " + (keys.isEmpty() ? "no key is accepted"
                    : "the previous " + keys.size() + " keys stay in use") + ": " + e.getMessage());
        }
    }

    private void problem(String message) {
        if (!message.equals(lastProblem)) {
            LOG.error(message);
            lastProblem = message;
        }
    }

    /** True when a keys file is configured (whether or not it holds keys yet). */
    boolean configured() {
        return file.isPresent();
    }

    /**
     * The caller this key names. Compares the key's hash with every entry's, in constant time and without stopping at
     * a match, so that the answer time tells nothing about the keys.
     */
    Optional<Caller> match(String key) {
        byte[] hash = sha256(key);
        Caller found = null;
        for (ApiKey candidate : keys) {
            if (MessageDigest.isEqual(hash, candidate.sha256())) {
                found = candidate.caller();
            }
        }
        return Optional.ofNullable(found);
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
