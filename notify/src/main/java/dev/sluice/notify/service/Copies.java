package dev.sluice.notify.service;

import dev.sluice.clientsdk.model.MessageAttributeValue;
import dev.sluice.clientsdk.model.SendMessageBatchRequestEntry;
import dev.sluice.notify.core.PublishedMessage;
import dev.sluice.notify.core.Subscription;
import dev.sluice.notify.core.Topic;
import dev.sluice.notify.core.TopicArn;
import java.util.Map;

/**
 * One subscription's copy of a published message: for SQS subscribers the message itself (raw delivery,
 * attributes as SQS message attributes) or the signed JSON envelope; for HTTP(S) subscribers the body to
 * POST, with the SNS type and id as attributes for the delivery worker. Thread-safe.
 */
final class Copies {
    private final Envelopes envelopes;
    private final String region;
    private final String accountId;

    Copies(Envelopes envelopes, String region, String accountId) {
        this.envelopes = envelopes;
        this.region = region;
        this.accountId = accountId;
    }

    SendMessageBatchRequestEntry copy(Topic topic, Subscription subscription, PublishedMessage message, String entryId) {
        String body = message.messageFor(subscription.structureKey());
        Map<String, MessageAttributeValue> attributes;
        if (subscription.rawDelivery() && !subscription.email()) {
            attributes = subscription.push() ? DeliveryMessages.rawNotification(message.messageId(), message.timestamp()) : message.attributes();
        } else {
            String subscriptionArn = TopicArn.ofQualified(region, topic.name(), accountId).subscription(subscription.id());
            body = envelopes.notification(message, subscriptionArn, body,
                    topic.attributes().getOrDefault("SignatureVersion", "1"));
            attributes = subscription.push() ? DeliveryMessages.notification(message.messageId(), message.timestamp()) : Map.of();
        }
        if (subscription.push()) {
            // What the delivery bills, when the delete after its success removes this copy (see DeliveryWorker).
            Map<String, MessageAttributeValue> billed = new java.util.HashMap<>(attributes);
            billed.put(dev.sluice.clientsdk.ReservedQueueNames.DELIVERY_ATTRIBUTE, MessageAttributeValue.ofString("String",
                    dev.sluice.clientsdk.ReservedQueueNames.delivery(TopicArn.ofQualified(region, topic.name(), accountId)
                            .accountId(), subscription.protocol(), body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)));
            attributes = billed;
        }
        if (topic.fifo() && subscription.endpoint().endsWith(".fifo")) {
            // Derived from the stable SNS message id: a re-run fanout of the same outbox message is deduplicated
            // by the subscribed FIFO queue instead of showing up twice.
            return new SendMessageBatchRequestEntry(entryId, body, null, attributes, Map.of(),
                    message.messageId() + ":" + subscription.id(), message.groupId());
        }
        return new SendMessageBatchRequestEntry(entryId, body, null, attributes, Map.of(), null, null);
    }
}
