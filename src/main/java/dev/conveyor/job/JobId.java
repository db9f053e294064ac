package dev.conveyor.job;

import java.security.SecureRandom;
import java.util.Optional;

/**
 * A job id: {@code <queue>.<ulid>}. The queue part lets the store find the job's keys without a scan; the ULID part
 * sorts by creation time, which is what "newest first" listing relies on.
 */
public record JobId(String queue, String ulid) {

    private static final int ULID_LENGTH = 26;
    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final boolean[] IS_CROCKFORD = crockfordTable();
    private static final SecureRandom RANDOM = new SecureRandom();

    public JobId {
        if (!QueueName.isValid(queue) || !isUlid(ulid)) {
            throw new IllegalArgumentException("not a job id: " + queue + "." + ulid);
        }
    }

    public static JobId newId(String queue, long nowMillis) {
        return new JobId(queue, ulid(nowMillis));
    }

    public static boolean isUlid(String text) {
        if (text == null || text.length() != ULID_LENGTH) {
            return false;
        }
        for (int i = 0; i < ULID_LENGTH; i++) {
            char c = text.charAt(i);
            if (c >= IS_CROCKFORD.length || !IS_CROCKFORD[c]) {
                return false;
            }
        }
        return true;
    }

    /** A table, not {@code indexOf} in the alphabet: every claimed job's id is checked: a measured cost on the hot path. */
    private static boolean[] crockfordTable() {
        boolean[] table = new boolean['Z' + 1];
        for (char c : CROCKFORD) {
            table[c] = true;
        }
        return table;
    }

    /** The id a client sent, or empty when it cannot be one of ours (which the API answers with 404). */
    public static Optional<JobId> parse(String text) {
        int dot = text == null ? -1 : text.lastIndexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        String queue = text.substring(0, dot);
        String ulid = text.substring(dot + 1);
        if (!QueueName.isValid(queue) || !isUlid(ulid)) {
            return Optional.empty();
        }
        return Optional.of(new JobId(queue, ulid));
    }

    /** When the job was created (ms since the epoch), as its ULID says in its first 10 characters. */
    public long createdMillis() {
        long millis = 0;
        for (int i = 0; i < 10; i++) {
            millis = millis * 32 + new String(CROCKFORD).indexOf(ulid.charAt(i));
        }
        return millis;
    }

    /** 48 bits of milliseconds then 80 random bits, in Crockford base 32 (https://github.com/ulid/spec). */
    static String ulid(long millis) {
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        char[] out = new char[26];
        for (int i = 9; i >= 0; i--) {
            out[i] = CROCKFORD[(int) (millis & 31)];
            millis >>>= 5;
        }
        // 80 random bits = 16 characters of 5 bits each
        long hi = 0;
        for (int i = 0; i < 5; i++) {
            hi = (hi << 8) | (random[i] & 0xff);
        }
        long lo = 0;
        for (int i = 5; i < 10; i++) {
            lo = (lo << 8) | (random[i] & 0xff);
        }
        for (int i = 17; i >= 10; i--) {
            out[i] = CROCKFORD[(int) (hi & 31)];
            hi >>>= 5;
        }
        for (int i = 25; i >= 18; i--) {
            out[i] = CROCKFORD[(int) (lo & 31)];
            lo >>>= 5;
        }
        return new String(out);
    }

    @Override
    public String toString() {
        return queue + "." + ulid;
    }
}
