package dev.sluice.notify.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.clientsdk.model.MessageAttributeValue;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class CatalogRecordCodecTest {

    @Test
    void topicsAndSubscriptionsSurviveTheRoundTrip() {
        Topic topic = new Topic("alerts", "3f0b0c5e-0000-4000-8000-000000000001", Map.of("DisplayName", "Alerts"),
                Map.of("team", "ops"));
        assertEquals(topic, CatalogRecordCodec.decodeTopic(CatalogRecordCodec.encode(topic)));
        Subscription subscription = new Subscription("3f0b0c5e-0000-4000-8000-000000000002", "alerts", "https",
                "https://example.com/hook", Map.of("RawMessageDelivery", "true"), false, "ab12", "whsec_x");
        assertEquals(subscription, CatalogRecordCodec.decodeSubscription(CatalogRecordCodec.encode(subscription)));
        Subscription queue = new Subscription("3f0b0c5e-0000-4000-8000-000000000003", "alerts", "sqs",
                "arn:aws:sqs:us-east-1:000000000000:q", Map.of(), true, null, null);
        assertEquals(queue, CatalogRecordCodec.decodeSubscription(CatalogRecordCodec.encode(queue)));
    }

    @Test
    void theTopicFormatIsStable() {
        Topic topic = new Topic("t", "i", Map.of("a", "b"), Map.of());
        byte[] golden = new byte[] {1, 0, 0, 0, 1, 't', 0, 0, 0, 1, 'i', 0, 0, 0, 1, 0, 0, 0, 1, 'a', 0, 0, 0, 1, 'b', 0, 0, 0, 0};
        assertEquals(new String(golden, StandardCharsets.ISO_8859_1),
                new String(CatalogRecordCodec.encode(topic), StandardCharsets.ISO_8859_1));
    }

    @Test
    void aSubscriptionItsTopicsAccountOwnsKeepsTheFirstFormat() {
        Subscription subscription = new Subscription("i", "t", "sqs", "e", Map.of(), true, null, null);
        byte[] golden = new byte[] {1, 0, 0, 0, 1, 'i', 0, 0, 0, 1, 't', 0, 0, 0, 3, 's', 'q', 's', 0, 0, 0, 1, 'e',
            0, 0, 0, 0, 1, -1, -1, -1, -1, -1, -1, -1, -1};
        assertEquals(new String(golden, StandardCharsets.ISO_8859_1),
                new String(CatalogRecordCodec.encode(subscription), StandardCharsets.ISO_8859_1));
        // A record written before accounts: owned by its topic's account, the default one for a bare topic name.
        Subscription old = CatalogRecordCodec.decodeSubscription(golden);
        assertEquals("000000000000", old.ownerAccount("000000000000"));
        assertEquals("111111111111", new Subscription("i", "111111111111/t", "sqs", "e", Map.of(), true, null, null)
                .ownerAccount("000000000000"));
    }

    @Test
    void aSubscriptionOfAnotherAccountThanItsTopicsCarriesItsOwnerInTheSecondFormat() {
        Subscription subscription = new Subscription("i", "t", "sqs", "e", Map.of(), true, null, null)
                .ownedBy("222222222222", "000000000000");
        byte[] golden = new byte[] {2, 0, 0, 0, 1, 'i', 0, 0, 0, 1, 't', 0, 0, 0, 3, 's', 'q', 's', 0, 0, 0, 1, 'e',
            0, 0, 0, 0, 1, -1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 12, '2', '2', '2', '2', '2', '2', '2', '2', '2', '2',
            '2', '2'};
        assertEquals(new String(golden, StandardCharsets.ISO_8859_1),
                new String(CatalogRecordCodec.encode(subscription), StandardCharsets.ISO_8859_1));
        assertEquals(subscription, CatalogRecordCodec.decodeSubscription(golden));
        assertEquals("222222222222", subscription.ownerAccount("000000000000"));
        // Subscribing within the topic's own account names no owner: the first format.
        assertEquals(null, new Subscription("i", "t", "sqs", "e", Map.of(), true, null, null)
                .ownedBy("000000000000", "000000000000").owner());
    }

    @Test
    void aTopicOfTheDefaultAccountIsKeyedByItsBareNameAndAnotherAccountsByAccountAndName() {
        TopicArn defaultTopic = TopicArn.parse("arn:aws:sns:us-east-1:000000000000:orders").orElseThrow();
        TopicArn otherTopic = TopicArn.parse("arn:aws:sns:us-east-1:111111111111:orders").orElseThrow();
        assertEquals("orders", defaultTopic.qualifiedName("000000000000"));
        assertEquals("111111111111/orders", otherTopic.qualifiedName("000000000000"));
        assertEquals(otherTopic, TopicArn.ofQualified("us-east-1", "111111111111/orders", "000000000000"));
        assertEquals(defaultTopic, TopicArn.ofQualified("us-east-1", "orders", "000000000000"));
    }

    @Test
    void anUnknownFormatVersionIsRefused() {
        byte[] encoded = CatalogRecordCodec.encode(new Topic("t", "i", Map.of(), Map.of()));
        encoded[0] = 9;
        assertThrows(IllegalStateException.class, () -> CatalogRecordCodec.decodeTopic(encoded));
    }

    @Test
    void outboxMessagesKeepEveryFieldAndAttributeType() {
        PublishedMessage message = new PublishedMessage("id-1", "arn:aws:sns:us-east-1:000000000000:t", "subject",
                "{\"default\":\"d\",\"http\":\"h\"}", "json", Map.of("s", MessageAttributeValue.ofString("String", "v"),
                "b", MessageAttributeValue.ofBinary("Binary", new byte[] {1, 2})), "2026-11-24T00:00:00.000Z", null, null,
                List.of("sub-1"), 3);
        PublishedMessage decoded = PublishedMessage.fromJson(message.toJson());
        assertEquals(message, decoded);
        assertEquals(4, PublishedMessage.fromJson(decoded.retryFor(List.of("sub-1")).toJson()).attempts());
        assertEquals("h", decoded.messageFor("http"));
        assertEquals("d", decoded.messageFor("sqs"));
    }

    @Test
    void anOutboxMessageWrittenBeforeAttemptsWereCountedHasMadeNone() {
        String older = "{\"v\":1,\"id\":\"id-1\",\"topic\":\"arn:aws:sns:us-east-1:000000000000:t\",\"message\":\"m\","
                + "\"timestamp\":\"2026-11-24T00:00:00.000Z\",\"attributes\":{},\"only\":[\"sub-1\"]}";
        assertEquals(0, PublishedMessage.fromJson(older).attempts());
    }
}
