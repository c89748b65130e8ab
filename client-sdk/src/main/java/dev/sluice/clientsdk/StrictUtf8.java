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
}
