package dev.sluice.broker.api.sqs;

import dev.sluice.clientsdk.query.XmlWriter;
import dev.sluice.clientsdk.SqsAction;
import dev.sluice.clientsdk.model.*;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Response records to Query protocol XML:
 * {@code <XResponse xmlns=...><XResult>...</XResult><ResponseMetadata><RequestId/></ResponseMetadata></XResponse>},
 * the result element omitted for actions without output, absent members omitted, binary values
 * base64. Stateless.
 */
final class QueryResponseEncoder {

    private QueryResponseEncoder() {
    }

    static byte[] encode(SqsAction action, Object response, String requestId) {
        String name = action.wireName();
        XmlWriter xml = new XmlWriter().openRoot(name + "Response", SqsProtocol.XML_NAMESPACE);
        if (hasResult(response)) {
            xml.open(name + "Result");
            result(xml, response);
            xml.close(name + "Result");
        }
        return xml.open("ResponseMetadata").element("RequestId", requestId).close("ResponseMetadata")
                .close(name + "Response").toBytes();
    }

    private static boolean hasResult(Object response) {
        return response.getClass().getRecordComponents().length > 0;
    }

    private static void result(XmlWriter xml, Object response) {
        if (response instanceof CreateQueueResponse r) {
            xml.element("QueueUrl", r.queueUrl());
        } else if (response instanceof GetQueueUrlResponse r) {
            xml.element("QueueUrl", r.queueUrl());
        } else if (response instanceof ListQueuesResponse r) {
            r.queueUrls().forEach(url -> xml.element("QueueUrl", url));
            xml.element("NextToken", r.nextToken());
        } else if (response instanceof GetQueueAttributesResponse r) {
            pairs(xml, "Attribute", "Name", "Value", r.attributes());
        } else if (response instanceof ListQueueTagsResponse r) {
            pairs(xml, "Tag", "Key", "Value", r.tags());
        } else if (response instanceof SendMessageResponse r) {
            xml.element("MD5OfMessageBody", r.md5OfMessageBody())
                    .element("MD5OfMessageAttributes", r.md5OfMessageAttributes())
                    .element("MD5OfMessageSystemAttributes", r.md5OfMessageSystemAttributes())
                    .element("MessageId", r.messageId())
                    .element("SequenceNumber", r.sequenceNumber());
        } else if (response instanceof SendMessageBatchResponse r) {
            for (SendMessageBatchResultEntry entry : r.successful()) {
                xml.open("SendMessageBatchResultEntry").element("Id", entry.id()).element("MessageId", entry.messageId())
                        .element("MD5OfMessageBody", entry.md5OfMessageBody())
                        .element("MD5OfMessageAttributes", entry.md5OfMessageAttributes())
                        .element("MD5OfMessageSystemAttributes", entry.md5OfMessageSystemAttributes())
                        .element("SequenceNumber", entry.sequenceNumber())
                        .close("SendMessageBatchResultEntry");
            }
            failures(xml, r.failed());
        } else if (response instanceof ReceiveMessageResponse r) {
            r.messages().forEach(message -> message(xml, message));
        } else if (response instanceof DeleteMessageBatchResponse r) {
            ids(xml, "DeleteMessageBatchResultEntry", r.successful().stream().map(DeleteMessageBatchResultEntry::id).toList());
            failures(xml, r.failed());
        } else if (response instanceof ChangeMessageVisibilityBatchResponse r) {
            ids(xml, "ChangeMessageVisibilityBatchResultEntry",
                    r.successful().stream().map(ChangeMessageVisibilityBatchResultEntry::id).toList());
            failures(xml, r.failed());
        } else if (response instanceof ListDeadLetterSourceQueuesResponse r) {
            r.queueUrls().forEach(url -> xml.element("QueueUrl", url));
            xml.element("NextToken", r.nextToken());
        } else if (response instanceof StartMessageMoveTaskResponse r) {
            xml.element("TaskHandle", r.taskHandle());
        } else if (response instanceof ListMessageMoveTasksResponse r) {
            r.results().forEach(task -> moveTask(xml, task));
        } else if (response instanceof CancelMessageMoveTaskResponse r) {
            xml.element("ApproximateNumberOfMessagesMoved", r.approximateNumberOfMessagesMoved());
        } else {
            throw new IllegalArgumentException("no Query encoding for " + response.getClass().getSimpleName());
        }
    }

    private static void message(XmlWriter xml, Message message) {
        xml.open("Message").element("MessageId", message.messageId()).element("ReceiptHandle", message.receiptHandle())
                .element("MD5OfBody", message.md5OfBody()).element("Body", message.body());
        pairs(xml, "Attribute", "Name", "Value", message.attributes());
        xml.element("MD5OfMessageAttributes", message.md5OfMessageAttributes());
        message.messageAttributes().forEach((name, value) -> {
            xml.open("MessageAttribute").element("Name", name).open("Value")
                    .element("StringValue", value.stringValue())
                    .element("BinaryValue", value.binaryValue() == null ? null
                            : Base64.getEncoder().encodeToString(value.binaryValue()))
                    .element("DataType", value.dataType())
                    .close("Value").close("MessageAttribute");
        });
        xml.close("Message");
    }

    private static void moveTask(XmlWriter xml, ListMessageMoveTasksResultEntry task) {
        xml.open("ListMessageMoveTasksResultEntry").element("TaskHandle", task.taskHandle())
                .element("Status", task.status()).element("SourceArn", task.sourceArn())
                .element("DestinationArn", task.destinationArn())
                .element("MaxNumberOfMessagesPerSecond", task.maxNumberOfMessagesPerSecond())
                .element("ApproximateNumberOfMessagesMoved", task.approximateNumberOfMessagesMoved())
                .element("ApproximateNumberOfMessagesToMove", task.approximateNumberOfMessagesToMove())
                .element("FailureReason", task.failureReason())
                .element("StartedTimestamp", task.startedTimestamp())
                .close("ListMessageMoveTasksResultEntry");
    }

    private static void pairs(XmlWriter xml, String element, String keyName, String valueName,
            Map<String, String> values) {
        values.forEach((key, value) -> xml.open(element).element(keyName, key).element(valueName, value).close(element));
    }

    private static void ids(XmlWriter xml, String element, List<String> ids) {
        ids.forEach(id -> xml.open(element).element("Id", id).close(element));
    }

    private static void failures(XmlWriter xml, List<BatchResultErrorEntry> failed) {
        for (BatchResultErrorEntry entry : failed) {
            xml.open("BatchResultErrorEntry").element("Id", entry.id()).element("SenderFault", entry.senderFault())
                    .element("Code", entry.code()).element("Message", entry.message()).close("BatchResultErrorEntry");
        }
    }
}
