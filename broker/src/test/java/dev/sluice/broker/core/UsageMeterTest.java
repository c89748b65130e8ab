package dev.sluice.broker.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.clientsdk.model.MessageAttributeValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Billing units as SQS counts them: started 64 KiB chunks of a request's payload, in the hour of the entry's time. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class UsageMeterTest {
    private static final long HOUR = UsageMeter.HOUR_MILLIS;

    private final List<UsageRow> added = new ArrayList<>();
    private final UsageMeter meter = new UsageMeter("000000000000");

    UsageMeterTest() {
        meter.use((account, hourMillis, kind, amount) -> added.add(new UsageRow(account, hourMillis, kind, amount)));
    }

    private static EntryStamp at(long millis) {
        return new EntryStamp() {
            @Override
            public long nowMillis() {
                return millis;
            }

            @Override
            public long[] uniqueBits() {
                return new long[] {0, 0};
            }
        };
    }

    @Test
    void eachStartedChunkOf64KibIsOneRequestAndAnEmptyPayloadStillOne() {
        assertEquals(1, UsageMeter.requests(0));
        assertEquals(1, UsageMeter.requests(65_536));
        assertEquals(2, UsageMeter.requests(65_537));
        assertEquals(4, UsageMeter.requests(256 * 1024));
        assertEquals(16, UsageMeter.requests(1024 * 1024));
    }

    @Test
    void aBatchIsBilledByTheChunksOfItsTotalPayloadAttributesIncluded() {
        // 3 x 30 KiB bodies plus an attribute (name 4 + type 6 + value 5 bytes): 92,175 bytes, two chunks.
        Map<String, MessageAttributeValue> attribute = Map.of("kind", new MessageAttributeValue("String", "alert", null));
        List<SendEntry> batch = List.of(entry("1", 30 * 1024, Map.of()), entry("2", 30 * 1024, Map.of()),
                entry("3", 30 * 1024, attribute));
        meter.sent("222222222222/orders", batch, at(5 * HOUR + 59 * 60_000));
        assertEquals(List.of(new UsageRow("222222222222", 5 * HOUR, UsageKind.SQS_REQUESTS, 2)), added);
    }

    @Test
    void aReceiveIsBilledByWhatItReturnedAndCountsItsBytesOutButAnEmptyOneCountsNothingHere() {
        meter.received("orders", List.of(), at(HOUR));
        assertEquals(List.of(), added);
        meter.received("orders", List.of(new ReceivedMessage("id", "handle", "x".repeat(70_000), Map.of(), Map.of())),
                at(2 * HOUR));
        assertEquals(List.of(new UsageRow("000000000000", 2 * HOUR, UsageKind.SQS_REQUESTS, 2),
                new UsageRow("000000000000", 2 * HOUR, UsageKind.SQS_BYTES_OUT, 70_000)), added);
    }

    @Test
    void aMoveTaskIsBilledToItsSourceQueuesAccount() {
        meter.requestOnArn("arn:aws:sqs:us-east-1:333333333333:dead", at(HOUR + 1));
        assertEquals(List.of(new UsageRow("333333333333", HOUR, UsageKind.SQS_REQUESTS, 1)), added);
    }

    @Test
    void aPublishIntoATopicsOutboxBillsTheTopicOwnersPublishesAndNoSqsRequests() {
        Map<String, MessageAttributeValue> first = billing("444444444444 40000");
        Map<String, MessageAttributeValue> second = billing("444444444444 40000");
        meter.sent("sluice-internal-topic-7", List.of(entry("1", 10, first), entry("2", 10, second),
                entry("3", 10, billing("555555555555 notanumber")), entry("4", 10, Map.of())), at(HOUR));
        assertEquals(List.of(new UsageRow("444444444444", HOUR, UsageKind.SNS_PUBLISHES, 2)), added);
    }

    @Test
    void aTenantCannotBillPublishesToAnotherAccountByNamingTheBillingAttributeOnItsOwnQueue() {
        meter.sent("666666666666/orders", List.of(entry("1", 10, billing("444444444444 999999"))), at(HOUR));
        assertEquals(List.of(new UsageRow("666666666666", HOUR, UsageKind.SQS_REQUESTS, 1)), added);
    }

    @Test
    void internalQueuesAreNobodysSqsRequests() {
        meter.request("sluice-internal-sub-9", at(HOUR));
        meter.received("sluice-internal-topic-7", List.of(new ReceivedMessage("id", "h", "x", Map.of(), Map.of())), at(HOUR));
        assertEquals(List.of(), added);
    }

    @Test
    void theDeleteThatEndsAPushDeliveryBillsTheTopicOwnerPerProtocolAndChunkAndHttpBytesOut() {
        java.util.function.BiConsumer<HandleEntry, StoredMessage> deliveries = meter.deliveries("sluice-internal-sub-9", at(HOUR));
        deliveries.accept(new HandleEntry("delivered", "h1"), copy("444444444444 https 70000"));
        deliveries.accept(new HandleEntry("delivered", "h2"), copy("444444444444 lambda 10"));
        deliveries.accept(new HandleEntry("delivered", "h3"), copy("444444444444 email-json 10"));
        assertEquals(List.of(new UsageRow("444444444444", HOUR, UsageKind.SNS_DELIVERIES_HTTP, 2),
                new UsageRow("444444444444", HOUR, UsageKind.SNS_HTTP_BYTES_OUT, 70000),
                new UsageRow("444444444444", HOUR, UsageKind.SNS_DELIVERIES_LAMBDA, 1),
                new UsageRow("444444444444", HOUR, UsageKind.SNS_DELIVERIES_EMAIL, 1)), added);
    }

    @Test
    void aCopyGivenUpOnAMalformedBillOrATenantsQueueBillsNoDelivery() {
        java.util.function.BiConsumer<HandleEntry, StoredMessage> deliveries = meter.deliveries("sluice-internal-sub-9", at(HOUR));
        deliveries.accept(new HandleEntry("d0", "h1"), copy("444444444444 https 10"));
        deliveries.accept(new HandleEntry("delivered", "h2"), copy("444444444444 sms 10"));
        deliveries.accept(new HandleEntry("delivered", "h3"), copy("444444444444 https -5"));
        deliveries.accept(new HandleEntry("delivered", "h4"), copy("444444444444 https"));
        deliveries.accept(new HandleEntry("delivered", "h5"), new StoredMessage("m", 0, 0, "x", Map.of(), null, null, null, null));
        assertEquals(List.of(), added);
        assertEquals(null, meter.deliveries("666666666666/orders", at(HOUR)), "a tenant's queue reads no delivery bill");
    }

    private static StoredMessage copy(String delivery) {
        return new StoredMessage("m", 0, 0, "{}", Map.of(dev.sluice.clientsdk.ReservedQueueNames.DELIVERY_ATTRIBUTE,
                MessageAttributeValue.ofString("String", delivery)), null, null, null, null);
    }

    private static Map<String, MessageAttributeValue> billing(String value) {
        return Map.of(dev.sluice.clientsdk.ReservedQueueNames.BILLING_ATTRIBUTE, MessageAttributeValue.ofString("String", value));
    }

    private static SendEntry entry(String id, int bytes, Map<String, MessageAttributeValue> attributes) {
        return new SendEntry(id, "b".repeat(bytes), null, attributes, null, null, null);
    }

    @Test
    void theDeleteAfterAnInvocationBillsItOnceAtItsFirstRemovalAndNothingWhenItRemovesNothing() {
        StoredMessage message = new StoredMessage("id", 0, 0, "work", Map.of(), null, null, null, null);
        // Removes nothing (a retried delete, a stale handle): the consumer is never called, nothing is billed.
        meter.removals("222222222222/work", "333333333333", 151, at(HOUR));
        assertEquals(List.of(), added);
        var removals = meter.removals("222222222222/work", "333333333333", 151, at(HOUR));
        removals.accept(new HandleEntry("0", "h0"), message);
        removals.accept(new HandleEntry("1", "h1"), message);
        assertEquals(List.of(new UsageRow("333333333333", HOUR, UsageKind.FUNCTION_INVOCATIONS, 1),
                new UsageRow("333333333333", HOUR, UsageKind.FUNCTION_DURATION_MILLIS, 151)), added);
        assertEquals(null, meter.removals("222222222222/work", null, 0, at(HOUR)), "a tenant's delete reads nothing");
    }
}
