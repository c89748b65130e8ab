package dev.sluice.broker.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.broker.core.DeduplicationRecord;
import dev.sluice.broker.core.HandleEntry;
import dev.sluice.broker.core.QueueCommand;
import dev.sluice.broker.core.QueueCommandType;
import dev.sluice.broker.core.QueueExport;
import dev.sluice.broker.core.ReceiveAttempt;
import dev.sluice.broker.core.QueueLayout;
import dev.sluice.broker.core.RemoteQueue;
import dev.sluice.broker.core.StoredMessage;
import dev.sluice.broker.core.TransferImport;
import dev.sluice.broker.core.SendEntry;
import dev.sluice.broker.core.VisibilityChange;
import dev.sluice.clientsdk.model.MessageAttributeValue;
import dev.sluice.raftstore.codec.CommandFrame;
import dev.sluice.raftstore.codec.CorruptFrameException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The log format of queue commands may only grow: every command below must encode to the bytes in
 * src/test/resources/golden/commands, and those bytes must decode back to the same command. A
 * change here means old logs can no longer be replayed. (Regenerate only for a new command type:
 * {@code -Dgolden.write=true}.)
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class QueueCommandGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/commands");

    static Map<String, QueueCommand> samples() {
        Map<String, QueueCommand> samples = new LinkedHashMap<>();
        samples.put("create-queue", new QueueCommand.CreateQueue("alerts", Map.of("VisibilityTimeout", "30"), Map.of("team", "ops")));
        samples.put("delete-queue", new QueueCommand.DeleteQueue("alerts"));
        samples.put("set-attributes", new QueueCommand.SetAttributes("alerts", Map.of("DelaySeconds", "5")));
        samples.put("tag-queue", new QueueCommand.TagQueue("alerts", Map.of("env", "prod"), 50));
        samples.put("untag-queue", new QueueCommand.UntagQueue("alerts", List.of("env")));
        samples.put("send", new QueueCommand.Send("alerts", List.of(new SendEntry("1", "disk full", 3,
                Map.of("severity", new MessageAttributeValue("String", "critical", null),
                        "raw", new MessageAttributeValue("Binary", null, new byte[] {1, 2})), "Root=1-abc", null, null))));
        samples.put("receive", new QueueCommand.Receive("alerts", 10, 30));
        samples.put("receive-default-visibility", new QueueCommand.Receive("alerts", 1, null));
        samples.put("delete", new QueueCommand.Delete("alerts", List.of(new HandleEntry("a", "handle-1"))));
        samples.put("change-visibility", new QueueCommand.ChangeVisibility("alerts", List.of(new VisibilityChange("a", "handle-1", 0))));
        samples.put("purge", new QueueCommand.Purge("alerts"));
        samples.put("start-move-task", new QueueCommand.StartMoveTask("arn:aws:sqs:us-east-1:000000000000:dlq", null, 50));
        samples.put("step-move-task", new QueueCommand.StepMoveTask("task-1", 100, false));
        samples.put("cancel-move-task", new QueueCommand.CancelMoveTask("task-1"));
        samples.put("receive-with-attempt-id", new QueueCommand.Receive("orders.fifo", 10, null, "attempt-1"));
        samples.put("send-fifo", new QueueCommand.Send("orders.fifo", List.of(new SendEntry("1", "paid", null, Map.of(), null,
                "customer-7", "order-42-paid"))));
        String dlq = "arn:aws:sqs:us-east-1:000000000000:dlq";
        samples.put("import-transfers", new QueueCommand.ImportTransfers(List.of(new TransferImport("data-0:4242", dlq,
                new StoredMessage("4d6f7665-0000-4000-8000-000000000001", 1_000, 2_000, "disk full",
                        Map.of("severity", new MessageAttributeValue("String", "critical", null)), "Root=1-abc", "customer-7",
                        "4d6f7665-0000-4000-8000-000000000001", "arn:aws:sqs:us-east-1:000000000000:alerts")))));
        samples.put("settle-transfers", new QueueCommand.SettleTransfers(List.of(4242L, 4243L), List.of(4244L)));
        samples.put("create-queue-with-remote-dead-letter-queue", new QueueCommand.CreateQueue("alerts",
                Map.of("RedrivePolicy", "{\"deadLetterTargetArn\":\"" + dlq + "\",\"maxReceiveCount\":\"3\"}"), Map.of(),
                new RemoteQueue(dlq, false, true)));
        samples.put("set-attributes-with-remote-dead-letter-queue", new QueueCommand.SetAttributes("alerts",
                Map.of("RedrivePolicy", "{\"deadLetterTargetArn\":\"" + dlq + "\",\"maxReceiveCount\":\"3\"}"),
                new RemoteQueue(dlq, false, true)));
        samples.put("start-move-task-across-groups", new QueueCommand.StartMoveTaskAcrossGroups(dlq,
                "arn:aws:sqs:us-east-1:000000000000:replay", 50, new RemoteQueue("arn:aws:sqs:us-east-1:000000000000:replay",
                        false, true), true));
        samples.put("start-move-task-across-groups-to-sources", new QueueCommand.StartMoveTaskAcrossGroups(dlq, null, null,
                null, true));
        samples.put("set-queue-layout", new QueueCommand.SetQueueLayout("orders.fifo",
                new QueueLayout(QueueLayout.Fence.SENDS_CLOSED, 1, 3)));
        samples.put("delete-queue-if-empty", new QueueCommand.DeleteQueueIfEmpty("alerts"));
        samples.put("import-queue-state", new QueueCommand.ImportQueueState("orders.fifo", new QueueExport(List.of(77L, 12L),
                List.of(new QueueExport.Message(1L << 30, new StoredMessage("4d6f7665-0000-4000-8000-000000000002", 1_000,
                        1_000, "paid", Map.of(), null, "customer-7", "order-42-paid", null), 31_000, 1, 1_500, 99)),
                List.of(new QueueExport.Deduplication("order-42-paid", new DeduplicationRecord(
                        "4d6f7665-0000-4000-8000-000000000002", 1L << 30, 301_000))), (5L << 30) + 1,
                new QueueExport.Position(QueueExport.Phase.DEDUPLICATIONS, 0, "order-42-paid"))));
        // Receive attempts were appended to the page later: the page above keeps its bytes.
        samples.put("import-queue-state-with-receive-attempts", new QueueCommand.ImportQueueState("orders.fifo",
                new QueueExport(List.of(77L), List.of(), List.of(), 0,
                        new QueueExport.Position(QueueExport.Phase.ATTEMPTS, 0, "attempt-7"),
                        List.of(new QueueExport.Attempt("attempt-7", new ReceiveAttempt(301_000,
                                List.of(new ReceiveAttempt.Delivery(1L << 30, 99, 31_000))))))));
        samples.put("step-move-task-up-to-count", new QueueCommand.StepMoveTask("task-1", 100, true));
        samples.put("record-usage", new QueueCommand.RecordUsage("n1/4f1c", 7, List.of(
                new dev.sluice.broker.core.UsageRow("111111111111", 3_600_000, dev.sluice.broker.core.UsageKind.SQS_REQUESTS, 3))));
        samples.put("send-sqs-deliveries", new QueueCommand.Send("222222222222/orders", List.of(new SendEntry("m0",
                "{\"Type\":\"Notification\"}", null, Map.of(), null, null, null)), "111111111111"));
        samples.put("delete-billing-invocation", new QueueCommand.Delete("222222222222/work",
                List.of(new HandleEntry("0", "handle-1")), "222222222222", 151));
        samples.put("fan-out", new QueueCommand.FanOut("sluice-outbox-111111111111-alerts", "111111111111", List.of(
                new dev.sluice.broker.core.FanOutItem(1L << 30, 1, 0, List.of(
                        new dev.sluice.broker.core.FanOutItem.Copy("sub-1", "arn:aws:sqs:us-east-1:222222222222:orders",
                                false, true, new SendEntry("m0", "{\"Type\":\"Notification\"}", null, Map.of(), null, null,
                                        null)),
                        new dev.sluice.broker.core.FanOutItem.Copy("sub-2", "arn:aws:sqs:us-east-1:111111111111:audit.fifo",
                                true, true, new SendEntry("m0", "raw", null,
                                        Map.of("severity", new MessageAttributeValue("String", "critical", null)), null,
                                        "customer-7", "msg-1:sub-2")))),
                new dev.sluice.broker.core.FanOutItem((1L << 30) + 1, 4, 20, List.of()))));
        return samples;
    }

    /** The registry, frozen: a code here may never change or be reused; new types only append. */
    static final Map<QueueCommandType, Integer> CODES = frozenCodes();

    private static Map<QueueCommandType, Integer> frozenCodes() {
        Map<QueueCommandType, Integer> codes = new LinkedHashMap<>();
        codes.put(QueueCommandType.CREATE_QUEUE, 1);
        codes.put(QueueCommandType.DELETE_QUEUE, 2);
        codes.put(QueueCommandType.SET_ATTRIBUTES, 3);
        codes.put(QueueCommandType.TAG_QUEUE, 4);
        codes.put(QueueCommandType.UNTAG_QUEUE, 5);
        codes.put(QueueCommandType.SEND, 6);
        codes.put(QueueCommandType.RECEIVE, 7);
        codes.put(QueueCommandType.DELETE, 8);
        codes.put(QueueCommandType.CHANGE_VISIBILITY, 9);
        codes.put(QueueCommandType.PURGE, 10);
        codes.put(QueueCommandType.START_MOVE_TASK, 11);
        codes.put(QueueCommandType.STEP_MOVE_TASK, 12);
        codes.put(QueueCommandType.CANCEL_MOVE_TASK, 13);
        codes.put(QueueCommandType.RECEIVE_WITH_ATTEMPT, 14);
        codes.put(QueueCommandType.IMPORT_TRANSFERS, 15);
        codes.put(QueueCommandType.SETTLE_TRANSFERS, 16);
        codes.put(QueueCommandType.CREATE_QUEUE_WITH_REMOTE_DEAD_LETTER_QUEUE, 17);
        codes.put(QueueCommandType.SET_ATTRIBUTES_WITH_REMOTE_DEAD_LETTER_QUEUE, 18);
        codes.put(QueueCommandType.START_MOVE_TASK_ACROSS_GROUPS, 19);
        codes.put(QueueCommandType.SET_QUEUE_LAYOUT, 20);
        codes.put(QueueCommandType.DELETE_QUEUE_IF_EMPTY, 21);
        codes.put(QueueCommandType.IMPORT_QUEUE_STATE, 22);
        codes.put(QueueCommandType.STEP_MOVE_TASK_UP_TO_COUNT, 23);
        codes.put(QueueCommandType.RECORD_USAGE, 24);
        codes.put(QueueCommandType.SEND_SQS_DELIVERIES, 25);
        codes.put(QueueCommandType.DELETE_BILLING_INVOCATION, 26);
        codes.put(QueueCommandType.FAN_OUT, 27);
        return codes;
    }

    @Test
    void everyCommandTypeKeepsItsWireCode() {
        Map<QueueCommandType, Integer> actual = new LinkedHashMap<>();
        for (QueueCommandType type : QueueCommandType.values()) {
            actual.put(type, type.code());
            assertEquals(type, QueueCommandType.ofCode(type.code()), type + " by its code");
        }
        assertEquals(CODES, actual, "the command registry is append-only: add new types, never change a code");
    }

    @Test
    void everyCommandTypeHasAGoldenSample() {
        Set<QueueCommandType> sampled = EnumSet.noneOf(QueueCommandType.class);
        samples().values().forEach(command -> sampled.add(command.type()));
        assertEquals(EnumSet.allOf(QueueCommandType.class), sampled);
    }

    @Test
    void aCodeNoReleaseAssignedIsACorruptFrameNotACommand() {
        int unknown = CODES.values().stream().mapToInt(Integer::intValue).max().orElseThrow() + 1;
        assertNull(QueueCommandType.ofCode(unknown));
        assertNull(QueueCommandType.ofCode(0));
        assertThrows(CorruptFrameException.class, () -> QueueCommandCodec.decode(unknown, ByteBuffer.allocate(0)));
        assertThrows(CorruptFrameException.class, () -> QueueCommandCodec.decode(0, ByteBuffer.allocate(0)));
    }

    /**
     * A fan-out assembled from its items encoded once each (how the engine's client sizes and then proposes it) is the
     * golden fan-out byte for byte, and its items' lengths with the command's own bytes are its length.
     */
    @Test
    void aFanOutAssembledFromItsEncodedItemsIsTheGoldenFanOut() throws IOException {
        QueueCommand.FanOut fanOut = (QueueCommand.FanOut) samples().get("fan-out");
        List<byte[]> items = fanOut.items().stream().map(QueueCommandCodec::encodeFanOutItem).toList();

        byte[] assembled = QueueCommandCodec.encodeFanOut(fanOut.outbox(), fanOut.deliveriesBilledTo(), items);

        String golden = Files.readString(GOLDEN.resolve("fan-out.hex"), StandardCharsets.US_ASCII).trim();
        assertEquals(golden, HexFormat.of().formatHex(assembled));
        assertEquals(assembled.length, QueueCommandCodec.fanOutBytesWithoutItems(fanOut.outbox(),
                fanOut.deliveriesBilledTo()) + items.stream().mapToInt(item -> item.length).sum());
        assertEquals(QueueCommandCodec.encode(new QueueCommand.FanOut(fanOut.outbox(), fanOut.deliveriesBilledTo(),
                List.of())).length, QueueCommandCodec.encodeFanOut(fanOut.outbox(), fanOut.deliveriesBilledTo(),
                List.of()).length);
    }

    @Test
    void everyCommandEncodesToItsGoldenBytesAndDecodesBack() throws IOException {
        boolean write = Boolean.getBoolean("golden.write");
        for (var sample : samples().entrySet()) {
            Path file = GOLDEN.resolve(sample.getKey() + ".hex");
            byte[] encoded = QueueCommandCodec.encode(sample.getValue());
            if (write) {
                Files.writeString(file, HexFormat.of().formatHex(encoded) + "\n");
            }
            byte[] golden = HexFormat.of().parseHex(Files.readString(file, StandardCharsets.US_ASCII).trim());
            assertEquals(HexFormat.of().formatHex(golden), HexFormat.of().formatHex(encoded), sample.getKey());
            CommandFrame frame = CommandFrame.decode(ByteBuffer.wrap(golden));
            QueueCommand decoded = QueueCommandCodec.decode(frame.commandType(), frame.payload());
            assertEquals(HexFormat.of().formatHex(encoded), HexFormat.of().formatHex(QueueCommandCodec.encode(decoded)),
                    sample.getKey() + " round trip");
        }
    }
}
