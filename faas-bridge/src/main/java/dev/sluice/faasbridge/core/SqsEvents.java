package dev.sluice.faasbridge.core;

import dev.sluice.clientsdk.MessageMd5;
import dev.sluice.clientsdk.model.Message;
import dev.sluice.clientsdk.model.MessageAttributeValue;
import dev.sluice.faasbridge.function.SqsEvent;
import dev.sluice.faasbridge.function.SqsEventRecord;
import dev.sluice.faasbridge.function.SqsMessageAttribute;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds Lambda's SQS event from received messages. */
public final class SqsEvents {
    public static final String EVENT_SOURCE = "aws:sqs";

    private SqsEvents() {
    }

    public static SqsEvent of(List<Message> batch, QueueArn source) {
        return new SqsEvent(batch.stream().map(message -> record(message, source)).toList());
    }

    static SqsEventRecord record(Message message, QueueArn source) {
        String md5 = message.md5OfBody() != null ? message.md5OfBody() : MessageMd5.ofBody(message.body());
        return new SqsEventRecord(message.messageId(), message.receiptHandle(), message.body(), message.attributes(),
                messageAttributes(message), md5, EVENT_SOURCE, source.toString(), source.region());
    }

    /** The message's attributes as Lambda's event spells them. */
    static Map<String, SqsMessageAttribute> messageAttributes(Message message) {
        Map<String, SqsMessageAttribute> attributes = new LinkedHashMap<>();
        message.messageAttributes().forEach((name, value) -> attributes.put(name, attribute(value)));
        return attributes;
    }

    private static SqsMessageAttribute attribute(MessageAttributeValue value) {
        byte[] binary = value.binaryValue();
        return new SqsMessageAttribute(value.stringValue(), binary == null ? null : Base64.getEncoder().encodeToString(binary),
                List.of(), List.of(), value.dataType());
    }

    /** The payload's size as Lambda counts it toward the 6 MB invocation limit, roughly: body plus attributes. */
    public static long approximateSize(Message message) {
        long size = message.body().length() + 512L;
        for (Map.Entry<String, MessageAttributeValue> entry : message.messageAttributes().entrySet()) {
            MessageAttributeValue value = entry.getValue();
            size += entry.getKey().length() + value.dataType().length()
                    + (value.stringValue() != null ? value.stringValue().length() : 0)
                    + (value.binaryValue() != null ? value.binaryValue().length * 4L / 3 : 0);
        }
        return size;
    }
}
