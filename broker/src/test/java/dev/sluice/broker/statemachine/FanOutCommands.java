package dev.sluice.broker.statemachine;

import dev.sluice.broker.codec.QueueCommandCodec;
import dev.sluice.broker.codec.QueueQueryCodec;
import dev.sluice.broker.codec.QueueResultCodec;
import dev.sluice.broker.core.FanOutItem;
import dev.sluice.broker.core.PeekedMessage;
import dev.sluice.broker.core.QueueCommand;
import dev.sluice.broker.core.QueueQuery;
import dev.sluice.broker.core.SendEntry;
import dev.sluice.raftstore.RaftStoreNode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A topic outbox and its subscribed queues on a real data group, and the FAN_OUT a poller proposes. */
final class FanOutCommands {
    static final String PREFIX = "arn:aws:sqs:us-east-1:000000000000:";

    private FanOutCommands() {
    }

    static ByteBuffer submit(RaftStoreNode node, QueueCommand command, long seconds) throws Exception {
        return node.dataGroup(0).submit(QueueCommandCodec.encode(command)).get(seconds, TimeUnit.SECONDS);
    }

    static void create(RaftStoreNode node, String... names) throws Exception {
        for (String name : names) {
            QueueResultCodec.open(submit(node, new QueueCommand.CreateQueue(name, Map.of(), Map.of()), 30));
        }
    }

    /** Publishes {@code count} messages of {@code body} into the outbox, one send each; returns their outbox seqs. */
    static List<Long> publish(RaftStoreNode node, String outbox, String body, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            QueueResultCodec.open(submit(node, new QueueCommand.Send(outbox,
                    List.of(new SendEntry("p" + i, body, null, Map.of(), null, null, null))), 30));
        }
        List<PeekedMessage> peeked = peek(node, outbox, count);
        return peeked.stream().map(PeekedMessage::seq).toList();
    }

    /** Up to {@code limit} of the queue's oldest messages, read at the leader. */
    static List<PeekedMessage> peek(RaftStoreNode node, String queue, int limit) throws Exception {
        return QueueResultCodec.getPeeked(QueueResultCodec.open(node.dataGroup(0)
                .query(QueueQueryCodec.encode(new QueueQuery.PeekMessages(queue, limit, System.currentTimeMillis())))
                .get(30, TimeUnit.SECONDS)));
    }

    /** As FanoutWorker builds it: per outbox message, one raw copy of the body per subscribed queue, billed. */
    static QueueCommand.FanOut fanOut(String outbox, List<Long> seqs, String body, List<String> queues) {
        List<FanOutItem> items = new ArrayList<>();
        for (long seq : seqs) {
            List<FanOutItem.Copy> copies = new ArrayList<>();
            for (String queue : queues) {
                copies.add(new FanOutItem.Copy("sub-" + queue, PREFIX + queue, false, true,
                        new SendEntry("m" + items.size(), body, null, Map.of(), null, null, null)));
            }
            items.add(new FanOutItem(seq, 1, 0, copies));
        }
        return new QueueCommand.FanOut(outbox, "000000000000", items);
    }
}
