package dev.sluice.broker.service;

import dev.sluice.clientsdk.MessageMd5;
import dev.sluice.clientsdk.model.Message;
import dev.sluice.clientsdk.model.MessageAttributeValue;
import dev.sluice.clientsdk.model.ReceiveMessageRequest;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Shapes a received message as the ReceiveMessage caller asked: only the requested system
 * attributes ({@code AttributeNames} and {@code MessageSystemAttributeNames}, {@code All}) and
 * message attributes (names, {@code All}, {@code .*} or {@code prefix.*}), with the MD5s of what
 * is returned. Pure.
 */
final class ReceivedMessageView {

    private ReceivedMessageView() {
    }

    static Message shape(ReceiveMessageRequest request, Message message) {
        Set<String> systemNames = new HashSet<>(request.attributeNames());
        systemNames.addAll(request.messageSystemAttributeNames());
        Map<String, String> attributes = new LinkedHashMap<>();
        message.attributes().forEach((name, value) -> {
            if (systemNames.contains("All") || systemNames.contains(name)) {
                attributes.put(name, value);
            }
        });
        Map<String, MessageAttributeValue> messageAttributes = new LinkedHashMap<>();
        message.messageAttributes().forEach((name, value) -> {
            if (selects(request, name)) {
                messageAttributes.put(name, value);
            }
        });
        String md5OfBody = message.md5OfBody() != null ? message.md5OfBody() : MessageMd5.ofBody(message.body());
        return new Message(message.messageId(), message.receiptHandle(), md5OfBody, message.body(), attributes,
                MessageMd5.ofMessageAttributes(messageAttributes), messageAttributes);
    }

    private static boolean selects(ReceiveMessageRequest request, String attributeName) {
        for (String wanted : request.messageAttributeNames()) {
            if (wanted.equals("All") || wanted.equals(".*") || wanted.equals(attributeName)
                    || (wanted.endsWith(".*") && attributeName.startsWith(wanted.substring(0, wanted.length() - 1)))) {
                return true;
            }
        }
        return false;
    }
}
