package dev.sluice.clientsdk;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 decoding that refuses instead of replacing: malformed, overlong or surrogate sequences make the whole input
 * invalid, since a replaced character would silently become another name, message or key. Stateless.
 */
public final class StrictUtf8 {
    private StrictUtf8() {
    }

    /** The text of {@code bytes}, or null when they are not valid UTF-8. */
    public static String decodeOrNull(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /**
     * Whether {@code bytes} are valid UTF-8 (RFC 3629: shortest form, no surrogates, at most U+10FFFF), exactly as
     * {@link #decodeOrNull} judges them, without decoding: for request bodies that a parser reads from the bytes.
     */
    public static boolean isValid(byte[] bytes) {
        int i = 0;
        while (i < bytes.length) {
            int lead = bytes[i] & 0xFF;
            if (lead < 0x80) {
                i++;
                continue;
            }
            int length;
            int min;
            int max = 0xBF;
            if (lead >= 0xC2 && lead <= 0xDF) {
                length = 2;
                min = 0x80;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                length = 3;
                min = lead == 0xE0 ? 0xA0 : 0x80; // E0 80..9F would be overlong
                max = lead == 0xED ? 0x9F : 0xBF; // ED A0..BF would be a surrogate
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                length = 4;
                min = lead == 0xF0 ? 0x90 : 0x80; // F0 80..8F would be overlong
                max = lead == 0xF4 ? 0x8F : 0xBF; // F4 90.. would be above U+10FFFF
            } else {
                return false;
            }
            if (i + length > bytes.length) {
                return false;
            }
            int second = bytes[i + 1] & 0xFF;
            if (second < min || second > max) {
                return false;
            }
            for (int k = 2; k < length; k++) {
                int next = bytes[i + k] & 0xFF;
                if (next < 0x80 || next > 0xBF) {
                    return false;
                }
            }
            i += length;
        }
        return true;
    }
}
