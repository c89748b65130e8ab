package dev.sluice.broker.core;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Optional;

/**
 * Names one receive of one message: {@code base64url([version][queueId][seq][nonce])}. A new nonce
 * on every receive makes older handles of the same message stale.
 */
public record ReceiptHandle(long queueId, long seq, long nonce) {
    private static final int VERSION = 1;
    private static final int LENGTH = 25;

    public String encode() {
        ByteBuffer bytes = ByteBuffer.allocate(LENGTH).put((byte) VERSION).putLong(queueId).putLong(seq).putLong(nonce);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    /** Empty for anything that is not a handle this engine issued. */
    public static Optional<ReceiptHandle> decode(String text) {
        if (text == null || text.length() > 64) {
            return Optional.empty();
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (raw.length != LENGTH || raw[0] != VERSION) {
            return Optional.empty();
        }
        ByteBuffer bytes = ByteBuffer.wrap(raw, 1, LENGTH - 1);
        return Optional.of(new ReceiptHandle(bytes.getLong(), bytes.getLong(), bytes.getLong()));
    }
}
