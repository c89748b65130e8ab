package dev.sluice.broker.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.broker.core.FanOutItem;
import dev.sluice.broker.core.QueueCommand;
import dev.sluice.broker.core.SendEntry;
import dev.sluice.clientsdk.model.MessageAttributeValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Review of the encode-once fan-out (branch fandup17): for random fan-outs (FIFO and standard outboxes, null and empty
 * fields, items without copies, unicode bodies with supplementary characters and lone surrogates, string and binary
 * attributes) the command assembled from items encoded once is byte for byte what {@link QueueCommandCodec#encode}
 * gives, its length the sum the sizing uses, and the encoded items are not changed by assembling (no shared buffer).
 */
class FanOutEncodeOnceReviewTest {
    private static final String[] TEXTS = {"", "a", "plain body", "é ü ß 漢字", "emoji \uD83D\uDE00 x", "lone \uD800 high",
            "lone \uDC00 low", "{\"Type\":\"Notification\",\"Message\":\"\\u0000\"}", "x".repeat(5000)};

    @Test
    void anAssembledFanOutIsTheEncodedCommandByteForByte() {
        Random random = new Random(17);
        for (int round = 0; round < 500; round++) {
            String outbox = random.nextBoolean() ? "sluice-outbox-111111111111-t" + round
                    : "sluice-outbox-111111111111-t" + round + ".fifo";
            String billedTo = random.nextInt(4) == 0 ? null : "1111111111" + random.nextInt(100);
            List<FanOutItem> items = new ArrayList<>();
            for (int i = random.nextInt(12); i > 0; i--) {
                items.add(item(random));
            }
            QueueCommand.FanOut command = new QueueCommand.FanOut(outbox, billedTo, items);
            List<byte[]> encoded = items.stream().map(QueueCommandCodec::encodeFanOutItem).toList();
            List<byte[]> before = encoded.stream().map(byte[]::clone).toList();

            byte[] assembled = QueueCommandCodec.encodeFanOut(outbox, billedTo, encoded);
            byte[] again = QueueCommandCodec.encodeFanOut(outbox, billedTo, encoded);

            assertArrayEquals(QueueCommandCodec.encode(command), assembled, "round " + round);
            assertArrayEquals(assembled, again, "a second assembly of the same items (a retry)");
            assertEquals(assembled.length, QueueCommandCodec.fanOutBytesWithoutItems(outbox, billedTo)
                    + encoded.stream().mapToInt(item -> item.length).sum());
            for (int i = 0; i < encoded.size(); i++) {
                assertArrayEquals(before.get(i), encoded.get(i), "item bytes unchanged by the assembly");
            }
        }
    }

    private static FanOutItem item(Random random) {
        List<FanOutItem.Copy> copies = new ArrayList<>();
        for (int c = random.nextInt(5); c > 0; c--) {
            Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
            for (int a = random.nextInt(3); a > 0; a--) {
                attributes.put("attr" + a + text(random), random.nextBoolean()
                        ? new MessageAttributeValue("String", text(random), null)
                        : new MessageAttributeValue("Binary", null, new byte[] {0, (byte) 255, (byte) a}));
            }
            copies.add(new FanOutItem.Copy("sub-" + c, "arn:aws:sqs:us-east-1:222222222222:q" + c,
                    random.nextBoolean(), random.nextBoolean(), new SendEntry("m" + c, text(random),
                            random.nextBoolean() ? null : random.nextInt(900), attributes,
                            random.nextBoolean() ? null : text(random), random.nextBoolean() ? null : "group-" + c,
                            random.nextBoolean() ? null : "dedup-" + text(random))));
        }
        return new FanOutItem(random.nextLong() & Long.MAX_VALUE, 1 + random.nextInt(100_015), random.nextInt(901),
                copies);
    }

    private static String text(Random random) {
        return TEXTS[random.nextInt(TEXTS.length)];
    }
}
