package dev.sluice.broker.core;

import dev.sluice.broker.service.SqsLimits;
import java.util.List;

/** One data group's queue engine for core tests: its book over in-memory storage, and the stamps of its entries. */
final class TestGroup {
    final InMemoryQueueStorage storage = new InMemoryQueueStorage();
    final TestStamp stamp = new TestStamp();
    final QueueBook book;

    TestGroup(int maxPendingTransfers) {
        book = new QueueBook(new QueueAttributeCodec(SqsLimits.defaults().queueAttributeBounds()), "us-east-1",
                "000000000000", new EngineLimits(1_000, 1_000, 300_000), storage, name -> { }, maxPendingTransfers);
    }

    /** Every message of the queue as a peek shows it, oldest first. */
    List<PeekedMessage> peek(String queue) {
        return book.peek(queue, 100, stamp.now, seq -> book.readMessage(book.require(queue), seq));
    }

    /** The bodies a receive of up to 10 takes now. */
    List<String> bodies(String queue) {
        return book.receive(queue, 10, null, null, stamp).stream().map(ReceivedMessage::body).toList();
    }
}
