package dev.conveyor.job;

/** Sizes of text as Redis stores it. */
public final class Utf8 {

    private Utf8() {
    }

    /** The text's size in UTF-8 bytes, without encoding it (a lone surrogate counts as the 3 bytes of U+FFFD). */
    public static long length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1)) ? 2 : 3;
        }
        return bytes;
    }
}
