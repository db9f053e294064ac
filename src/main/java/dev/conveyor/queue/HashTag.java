package dev.conveyor.queue;

/**
 * Redis Cluster's rule for the part of a key that picks its hash slot: the text between the first '{' and the next
 * '}' when it is not empty, else the whole key. Keys with the same tag share a slot, so commands grouped by tag never
 * span slots.
 */
final class HashTag {

    private HashTag() {
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
