package dev.sluice.raftstore.codec;

/**
 * UTF-8 written straight into a buffer: exactly the bytes {@code String.getBytes(UTF_8)} gives (an unpaired surrogate
 * becomes {@code '?'}), without the temporary array. Encoded strings are in Raft logs, snapshots and stores, so these
 * bytes must never change.
 */
final class Utf8 {
    private static final byte REPLACEMENT = '?';

    private Utf8() {
    }

    /** The length of {@code value}'s UTF-8 encoding. */
    static int encodedLength(String value) {
        int length = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                length += 1;
            } else if (c < 0x800) {
                length += 2;
            } else if (!Character.isSurrogate(c)) {
                length += 3;
            } else if (startsPair(value, i)) {
                length += 4;
                i++;
            } else {
                length += 1;
            }
        }
        return length;
    }

    /** Writes {@code value}'s UTF-8 at {@code offset}, where {@link #encodedLength} bytes must fit; answers the end. */
    static int encode(String value, byte[] out, int offset) {
        int at = offset;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                out[at++] = (byte) c;
            } else if (c < 0x800) {
                out[at++] = (byte) (0xC0 | c >> 6);
                out[at++] = (byte) (0x80 | c & 0x3F);
            } else if (!Character.isSurrogate(c)) {
                out[at++] = (byte) (0xE0 | c >> 12);
                out[at++] = (byte) (0x80 | c >> 6 & 0x3F);
                out[at++] = (byte) (0x80 | c & 0x3F);
            } else if (startsPair(value, i)) {
                int codePoint = Character.toCodePoint(c, value.charAt(++i));
                out[at++] = (byte) (0xF0 | codePoint >> 18);
                out[at++] = (byte) (0x80 | codePoint >> 12 & 0x3F);
                out[at++] = (byte) (0x80 | codePoint >> 6 & 0x3F);
                out[at++] = (byte) (0x80 | codePoint & 0x3F);
            } else {
                out[at++] = REPLACEMENT;
            }
        }
        return at;
    }

    /** Whether the surrogate at {@code i} is a high one followed by a low one: one code point in two chars. */
    private static boolean startsPair(String value, int i) {
        return Character.isHighSurrogate(value.charAt(i)) && i + 1 < value.length()
                && Character.isLowSurrogate(value.charAt(i + 1));
    }
}
