package dev.sluice.notify.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.clientsdk.model.MessageAttributeValue;
import dev.sluice.notify.core.PublishedMessage;
import dev.sluice.notify.core.TopicArn;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * SNS's JSON envelopes — {@code Notification} and {@code SubscriptionConfirmation} — signed with the
 * cluster key, with the URLs subscribers use to fetch the certificate, confirm and unsubscribe; and
 * Lambda's SNS event, which carries a Notification envelope's fields under Lambda's names.
 * Thread-safe.
 */
final class Envelopes {
    static final String CERTIFICATE_PATH = NotifyService.CERTIFICATE_PATH;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<SigningKeys> keys;
    private final Supplier<String> baseUrl;

    Envelopes(Supplier<SigningKeys> keys, Supplier<String> baseUrl) {
        this.keys = keys;
        this.baseUrl = baseUrl;
    }

    /** The Notification envelope of one message for one subscription (body already chosen for the protocol). */
    String notification(PublishedMessage message, String subscriptionArn, String body, String signatureVersion) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("Type", "Notification");
        fields.put("MessageId", message.messageId());
        fields.put("TopicArn", message.topicArn());
        if (message.subject() != null) {
            fields.put("Subject", message.subject());
        }
        fields.put("Message", body);
        fields.put("Timestamp", message.timestamp());
        ObjectNode envelope = signed(fields, signatureVersion);
        envelope.put("UnsubscribeURL", unsubscribeUrl(subscriptionArn));
        if (!message.attributes().isEmpty()) {
            ObjectNode attributes = envelope.putObject("MessageAttributes");
            message.attributes().forEach((name, value) -> attributes.putObject(name).put("Type", value.dataType())
                    .put("Value", text(value)));
        }
        return envelope.toString();
    }

    /**
     * Lambda's SNS event for a function subscription, made from the signed Notification envelope the
     * subscription's delivery queue holds: one record whose {@code Sns} carries the envelope's fields under
     * Lambda's names ({@code SigningCertUrl}, {@code UnsubscribeUrl}), {@code Subject} null when absent and
     * {@code MessageAttributes} always present. The signature stays valid: it covers the same fields.
     */
    String lambdaEvent(String envelopeJson, String subscriptionArn) {
        JsonNode envelope;
        try {
            envelope = JSON.readTree(envelopeJson);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("a delivery-queue message is not an SNS envelope", e);
        }
        ObjectNode event = JSON.createObjectNode();
        ObjectNode record = event.putArray("Records").addObject();
        record.put("EventVersion", "1.0");
        record.put("EventSubscriptionArn", subscriptionArn);
        record.put("EventSource", "aws:sns");
        ObjectNode sns = record.putObject("Sns");
        for (String field : new String[] {"Type", "MessageId", "TopicArn", "Subject", "Message", "Timestamp",
                "SignatureVersion", "Signature"}) {
            sns.set(field, envelope.path(field).isMissingNode() ? sns.nullNode() : envelope.get(field));
        }
        sns.set("SigningCertUrl", envelope.get("SigningCertURL"));
        sns.set("UnsubscribeUrl", envelope.get("UnsubscribeURL"));
        JsonNode attributes = envelope.path("MessageAttributes");
        sns.set("MessageAttributes", attributes.isObject() ? attributes : JSON.createObjectNode());
        return event.toString();
    }

    /** The SubscriptionConfirmation envelope sent to a new HTTP(S) subscription. */
    String confirmation(TopicArn topic, String messageId, String token, String timestamp, String signatureVersion) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("Type", "SubscriptionConfirmation");
        fields.put("MessageId", messageId);
        fields.put("Token", token);
        fields.put("TopicArn", topic.toString());
        fields.put("Message", "You have chosen to subscribe to the topic " + topic
                + ".\nTo confirm the subscription, visit the SubscribeURL included in this message.");
        fields.put("SubscribeURL", baseUrl.get() + "/?Action=ConfirmSubscription&TopicArn=" + encode(topic.toString())
                + "&Token=" + encode(token));
        fields.put("Timestamp", timestamp);
        return signed(fields, signatureVersion).toString();
    }

    /** The UnsubscribeURL: its {@code Token} lets an unsigned follower unsubscribe while access keys are configured. */
    String unsubscribeUrl(String subscriptionArn) {
        return baseUrl.get() + "/?Action=Unsubscribe&SubscriptionArn=" + encode(subscriptionArn) + "&Token="
                + keys.get().unsubscribeToken(subscriptionArn);
    }

    /** True when {@code token} is the one {@link #unsubscribeUrl} gives {@code subscriptionArn}. */
    boolean validUnsubscribeToken(String subscriptionArn, String token) {
        return keys.get().validUnsubscribeToken(subscriptionArn, token);
    }

    String certificateUrl() {
        return baseUrl.get() + CERTIFICATE_PATH;
    }

    private ObjectNode signed(Map<String, String> fields, String signatureVersion) {
        String signature = keys.get().sign(fields, signatureVersion);
        ObjectNode envelope = JSON.createObjectNode();
        fields.forEach(envelope::put);
        envelope.put("SignatureVersion", signatureVersion);
        envelope.put("Signature", signature);
        envelope.put("SigningCertURL", certificateUrl());
        return envelope;
    }

    static String text(MessageAttributeValue value) {
        return value.binaryValue() != null ? Base64.getEncoder().encodeToString(value.binaryValue()) : value.stringValue();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
