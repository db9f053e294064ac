package dev.conveyor.queue;

/**
 * Redis Cluster's rule for the part of a key that picks its hash slot: the text between the first '{' and the next
 * '}' when it is not empty, else the whole key. Keys with the same tag share a slot, so commands grouped by tag never
 * span slots.
 */
final class HashTag {

    private HashTag() {
    }

    /** Slots of a cluster: a key's slot is the CRC16 (XMODEM) of its tag, modulo this. */
    static final int SLOTS = 16384;

    /** The hash slot of a key on Redis Cluster. */
    static int slot(String key) {
        int crc = 0;
        for (byte b : of(key).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            crc ^= (b & 0xff) << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
        }
        return (crc & 0xffff) % SLOTS;
    }

    /** A key whose slot lies in {@code [from, to]}: a way to reach the node that serves those slots. */
    static String keyInSlots(int from, int to) {
        for (int n = 0; ; n++) {
            String key = "{" + n + "}";
            int slot = slot(key);
            if (slot >= from && slot <= to) {
                return key;
            }
        }
    }

    static String of(String key) {
        int open = key.indexOf('{');
        if (open >= 0) {
            int close = key.indexOf('}', open + 1);
            if (close > open + 1) {
                return key.substring(open + 1, close);
            }
        }
        return key;
    }
}
