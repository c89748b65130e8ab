package dev.sluice.broker.core;

import java.util.UUID;

/** Message ids in SQS's shape (a UUID string) from leader-stamped bits. */
final class MessageIds {
    private MessageIds() {
    }

    static String format(long[] bits) {
        // Force the RFC 4122 version-4 / variant bits so ids look like the UUIDs SQS returns.
        long high = (bits[0] & 0xFFFFFFFFFFFF0FFFL) | 0x0000000000004000L;
        long low = (bits[1] & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }
}
