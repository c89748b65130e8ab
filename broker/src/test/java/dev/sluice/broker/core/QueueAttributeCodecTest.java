package dev.sluice.broker.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.service.SqsLimits;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class QueueAttributeCodecTest {

    private static final String DLQ = "arn:aws:sqs:us-east-1:000000000000:alerts-dlq";
    private final QueueAttributeCodec codec = new QueueAttributeCodec(SqsLimits.defaults().queueAttributeBounds());

    private static void assertError(SqsError expected, Executable executable) {
        assertEquals(expected, assertThrows(SqsException.class, executable).error());
    }

    @Test
    void aNewStandardQueueHasSqsDefaults() {
        QueueSettings settings = codec.forCreate("alerts", Map.of());
        assertEquals(30, settings.visibilityTimeoutSeconds());
        assertEquals(262_144, settings.maximumMessageSizeBytes());
        assertEquals(345_600, settings.messageRetentionPeriodSeconds());
        assertTrue(settings.sqsManagedSseEnabled());
        assertFalse(settings.fifoQueue());
        assertFalse(codec.render(settings).containsKey("FifoQueue"));
    }

    @Test
    void numericAttributesAreCheckedAgainstTheirRanges() {
        assertError(SqsError.INVALID_ATTRIBUTE_VALUE, () -> codec.forCreate("q", Map.of("VisibilityTimeout", "43201")));
        assertError(SqsError.INVALID_ATTRIBUTE_VALUE, () -> codec.forCreate("q", Map.of("DelaySeconds", "901")));
        assertError(SqsError.INVALID_ATTRIBUTE_VALUE, () -> codec.forCreate("q", Map.of("MaximumMessageSize", "1023")));
        assertError(SqsError.INVALID_ATTRIBUTE_VALUE, () -> codec.forCreate("q", Map.of("MaximumMessageSize", "1048577")));
        assertError(SqsError.INVALID_ATTRIBUTE_VALUE, () -> codec.forCreate("q", Map.of("MessageRetentionPeriod", "59")));
        assertError(SqsError.INVALID_ATTRIBUTE_VALUE,
                () -> codec.forCreate("q", Map.of("MessageRetentionPeriod", "1209601")));
        assertError(SqsError.INVALID_ATTRIBUTE_VALUE,
                () -> codec.forCreate("q", Map.of("ReceiveMessageWaitTimeSeconds", "21")));
        assertError(SqsError.INVALID_ATTRIBUTE_VALUE, () -> codec.forCreate("q", Map.of("VisibilityTimeout", "ten")));
        assertEquals(1_048_576, codec.forCreate("q", Map.of("MaximumMessageSize", "1048576")).maximumMessageSizeBytes());
    }

    @Test
    void unknownAndReadOnlyNamesAreInvalidAttributeNames() {
        assertError(SqsError.INVALID_ATTRIBUTE_NAME, () -> codec.forCreate("q", Map.of("Colour", "blue")));
        assertError(SqsError.INVALID_ATTRIBUTE_NAME, () -> codec.forCreate("q", Map.of("QueueArn", "x")));
        assertError(SqsError.INVALID_ATTRIBUTE_NAME,
                () -> codec.forCreate("q", Map.of("ContentBasedDeduplication", "true")));
    }

    @Test
    void fifoQueueMustMatchTheNameAndCannotBeChangedLater() {
        QueueSettings fifo = codec.forCreate("q.fifo", Map.of("FifoQueue", "true", "ContentBasedDeduplication", "true"));
        assertTrue(fifo.contentBasedDeduplication());
        assertEquals("queue", codec.render(fifo).get("DeduplicationScope"));
        assertError(SqsError.INVALID_PARAMETER_VALUE, () -> codec.forCreate("q", Map.of("FifoQueue", "true")));
        assertError(SqsError.INVALID_PARAMETER_VALUE, () -> codec.forCreate("q.fifo", Map.of()));
        assertError(SqsError.INVALID_PARAMETER_VALUE, () -> codec.forCreate("q.fifo", Map.of("FifoQueue", "false")));
        assertError(SqsError.INVALID_ATTRIBUTE_NAME, () -> codec.forCreate("q", Map.of("FifoQueue", "false")));
        assertError(SqsError.INVALID_ATTRIBUTE_NAME, () -> codec.update(fifo, Map.of("FifoQueue", "true")));
    }

    @Test
    void highThroughputFifoNeedsMessageGroupScope() {
        assertError(SqsError.INVALID_ATTRIBUTE_VALUE, () -> codec.forCreate("q.fifo",
                Map.of("FifoQueue", "true", "FifoThroughputLimit", "perMessageGroupId")));
        QueueSettings high = codec.forCreate("q.fifo", Map.of("FifoQueue", "true",
                "FifoThroughputLimit", "perMessageGroupId", "DeduplicationScope", "messageGroup"));
        assertEquals(QueueSettings.FifoThroughputLimit.PER_MESSAGE_GROUP_ID, high.fifoThroughputLimit());
    }

    @Test
    void redrivePolicyIsJsonWithATargetArnAndMaxReceiveCountFrom1To1000() {
        QueueSettings settings = codec.forCreate("q", Map.of("RedrivePolicy",
                "{\"deadLetterTargetArn\":\"" + DLQ + "\",\"maxReceiveCount\":\"5\"}"));
        assertEquals(new QueueSettings.RedrivePolicy(DLQ, 5), settings.redrivePolicy());
        assertEquals("{\"deadLetterTargetArn\":\"" + DLQ + "\",\"maxReceiveCount\":5}",
                codec.render(settings).get("RedrivePolicy"));
        assertError(SqsError.INVALID_ATTRIBUTE_VALUE, () -> codec.forCreate("q", Map.of("RedrivePolicy", "{not json")));
        assertError(SqsError.INVALID_ATTRIBUTE_VALUE, () -> codec.forCreate("q", Map.of("RedrivePolicy",
                "{\"deadLetterTargetArn\":\"" + DLQ + "\",\"maxReceiveCount\":1001}")));
        assertError(SqsError.INVALID_ATTRIBUTE_VALUE, () -> codec.forCreate("q", Map.of("RedrivePolicy",
                "{\"deadLetterTargetArn\":\"nope\",\"maxReceiveCount\":3}")));
        assertEquals(null, codec.update(settings, Map.of("RedrivePolicy", "")).redrivePolicy());
    }

    @Test
    void redriveAllowPolicyListsUpTo10SourcesOnlyForByQueue() {
        String eleven = String.join(",", java.util.Collections.nCopies(11, "\"" + DLQ + "\""));
        assertError(SqsError.INVALID_ATTRIBUTE_VALUE, () -> codec.forCreate("q", Map.of("RedriveAllowPolicy",
                "{\"redrivePermission\":\"byQueue\",\"sourceQueueArns\":[" + eleven + "]}")));
        assertError(SqsError.INVALID_ATTRIBUTE_VALUE, () -> codec.forCreate("q", Map.of("RedriveAllowPolicy",
                "{\"redrivePermission\":\"allowAll\",\"sourceQueueArns\":[\"" + DLQ + "\"]}")));
        assertError(SqsError.INVALID_ATTRIBUTE_VALUE,
                () -> codec.forCreate("q", Map.of("RedriveAllowPolicy", "{\"redrivePermission\":\"some\"}")));
        assertEquals(QueueSettings.RedrivePermission.DENY_ALL, codec.forCreate("q",
                Map.of("RedriveAllowPolicy", "{\"redrivePermission\":\"denyAll\"}")).redriveAllowPolicy().redrivePermission());
    }

    @Test
    void aKmsKeyTurnsSqsManagedEncryptionOff() {
        QueueSettings settings = codec.forCreate("q", Map.of("KmsMasterKeyId", "alias/aws/sqs"));
        assertFalse(settings.sqsManagedSseEnabled());
        assertError(SqsError.INVALID_ATTRIBUTE_VALUE, () -> codec.forCreate("q",
                Map.of("KmsMasterKeyId", "alias/aws/sqs", "SqsManagedSseEnabled", "true")));
    }

    @Test
    void selectMergesDynamicValuesAndFiltersByRequestedNamesInSqsOrder() {
        QueueSettings settings = codec.forCreate("q", Map.of());
        Map<String, String> dynamic = Map.of("QueueArn", "arn:aws:sqs:us-east-1:000000000000:q",
                "ApproximateNumberOfMessages", "3");
        assertEquals(Map.of("ApproximateNumberOfMessages", "3", "DelaySeconds", "0"),
                codec.select(settings, dynamic, List.of("DelaySeconds", "ApproximateNumberOfMessages")));
        List<String> all = List.copyOf(codec.select(settings, dynamic, List.of("All")).keySet());
        assertEquals("QueueArn", all.get(0));
        assertTrue(all.contains("VisibilityTimeout"));
        assertTrue(codec.select(settings, dynamic, List.of()).isEmpty());
        assertError(SqsError.INVALID_ATTRIBUTE_NAME, () -> codec.select(settings, dynamic, List.of("Nope")));
    }
}
