package dev.sluice.broker.statemachine;

import dev.sluice.broker.codec.QueueCommandCodec;
import dev.sluice.broker.codec.QueueQueryCodec;
import dev.sluice.broker.codec.QueueResultCodec;
import dev.sluice.broker.core.EngineLimits;
import dev.sluice.broker.core.EntryStamp;
import dev.sluice.broker.core.MoveTask;
import dev.sluice.broker.core.QueueAttributeCodec;
import dev.sluice.broker.core.QueueBook;
import dev.sluice.broker.core.QueueCommand;
import dev.sluice.broker.core.QueueCommand.CancelMoveTask;
import dev.sluice.broker.core.QueueCommand.ChangeVisibility;
import dev.sluice.broker.core.QueueCommand.CreateQueue;
import dev.sluice.broker.core.QueueCommand.Delete;
import dev.sluice.broker.core.QueueCommand.DeleteQueue;
import dev.sluice.broker.core.QueueCommand.Purge;
import dev.sluice.broker.core.QueueCommand.Receive;
import dev.sluice.broker.core.QueueCommand.Send;
import dev.sluice.broker.core.QueueCommand.SetAttributes;
import dev.sluice.broker.core.QueueCommand.StartMoveTask;
import dev.sluice.broker.core.QueueCommand.StepMoveTask;
import dev.sluice.broker.core.QueueCommand.TagQueue;
import dev.sluice.broker.core.QueueCommand.UntagQueue;
import dev.sluice.broker.core.QueueQuery;
import dev.sluice.broker.core.QueueWakeups;
import dev.sluice.broker.storage.QueueKeys;
import dev.sluice.broker.storage.QueueRecovery;
import dev.sluice.broker.storage.RocksQueueStorage;
import dev.sluice.clientsdk.SqsException;
import dev.sluice.raftstore.codec.BinaryWriter;
import dev.sluice.raftstore.spi.ApplyContext;
import dev.sluice.raftstore.spi.DomainEngine;
import dev.sluice.raftstore.spi.StoreReader;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * The queue engine of one data group: a thin adapter from log frames to {@link QueueBook}. Apply
 * holds the write lock; queries and this replica's local reads ({@link #read}) hold the read lock.
 */
public final class QueueEngine implements DomainEngine {
    private final QueueAttributeCodec codec;
    private final String region;
    private final String accountId;
    private final EngineLimits limits;
    private final QueueWakeups wakeups;
    private final RocksQueueStorage storage = new RocksQueueStorage();
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private QueueBook book;

    public QueueEngine(QueueAttributeCodec codec, String region, String accountId, EngineLimits limits, QueueWakeups wakeups) {
        this.codec = codec;
        this.region = region;
        this.accountId = accountId;
        this.limits = limits;
        this.wakeups = wakeups;
        this.book = newBook();
    }

    private QueueBook newBook() {
        return new QueueBook(codec, region, accountId, limits, storage, wakeups);
    }

    @Override
    public List<String> columnFamilies() {
        return QueueKeys.COLUMN_FAMILIES;
    }

    @Override
    public void recover(StoreReader reader) {
        lock.writeLock().lock();
        try {
            book = newBook();
            QueueRecovery.load(reader, book);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public byte[] apply(int commandType, ByteBuffer payload, ApplyContext context) {
        QueueCommand command = QueueCommandCodec.decode(commandType, payload);
        EntryStamp stamp = new EntryStamp() {
            @Override
            public long nowMillis() {
                return context.timeMillis();
            }

            @Override
            public long[] uniqueBits() {
                return context.uniqueBits();
            }
        };
        lock.writeLock().lock();
        try {
            storage.use(context.writer());
            return execute(command, stamp);
        } catch (SqsException rejected) {
            // A rejection travels back as a result value. Rejections come before any change, except
            // receive's OverLimit after expiring or dead-lettering messages: those changes are in
            // memory and in the batch alike, so committing the batch keeps the two consistent.
            return QueueResultCodec.failure(rejected.error(), rejected.getMessage());
        } finally {
            storage.use(null);
            lock.writeLock().unlock();
        }
    }

    private byte[] execute(QueueCommand command, EntryStamp stamp) {
        BinaryWriter out = QueueResultCodec.ok();
        if (command instanceof CreateQueue c) {
            out.putString(book.createQueue(c.name(), c.attributes(), c.tags(), stamp));
        } else if (command instanceof DeleteQueue c) {
            book.deleteQueue(c.name(), stamp);
        } else if (command instanceof SetAttributes c) {
            book.setAttributes(c.name(), c.attributes(), stamp);
        } else if (command instanceof TagQueue c) {
            book.tag(c.name(), c.tags(), c.maxTags());
        } else if (command instanceof UntagQueue c) {
            book.untag(c.name(), c.keys());
        } else if (command instanceof Send c) {
            QueueResultCodec.putOutcomes(out, book.send(c.name(), c.entries(), stamp));
        } else if (command instanceof Receive c) {
            QueueResultCodec.putMessages(out, book.receive(c.name(), c.maxMessages(), c.visibilityTimeoutSeconds(),
                    c.receiveRequestAttemptId(), stamp));
        } else if (command instanceof Delete c) {
            QueueResultCodec.putOutcomes(out, book.delete(c.name(), c.entries()));
        } else if (command instanceof ChangeVisibility c) {
            QueueResultCodec.putOutcomes(out, book.changeVisibility(c.name(), c.entries(), stamp));
        } else if (command instanceof Purge c) {
            book.purge(c.name(), stamp);
        } else if (command instanceof StartMoveTask c) {
            out.putString(book.moveTasks().start(c.sourceArn(), c.destinationArn(), c.maxMessagesPerSecond(), stamp).handle());
        } else if (command instanceof StepMoveTask c) {
            book.moveTasks().step(c.handle(), c.maxMessages(), stamp);
        } else if (command instanceof CancelMoveTask c) {
            out.putLong(book.moveTasks().cancel(c.handle()).movedCount());
        }
        return out.toByteArray();
    }

    @Override
    public byte[] query(ByteBuffer request, StoreReader reader) {
        QueueQuery query = QueueQueryCodec.decode(request);
        return read(current -> {
            try {
                return answer(current, query);
            } catch (SqsException rejected) {
                return QueueResultCodec.failure(rejected.error(), rejected.getMessage());
            }
        });
    }

    private static byte[] answer(QueueBook book, QueueQuery query) {
        BinaryWriter out = QueueResultCodec.ok();
        if (query instanceof QueueQuery.Attributes q) {
            QueueResultCodec.putStringMap(out, book.attributes(q.name(), q.attributeNames(), q.nowMillis()));
        } else if (query instanceof QueueQuery.Exists q) {
            out.putBoolean(book.exists(q.name()));
        } else if (query instanceof QueueQuery.ListQueues q) {
            QueueResultCodec.putStrings(out, book.names(q.prefix(), q.startAfter(), q.limit()));
        } else if (query instanceof QueueQuery.Tags q) {
            QueueResultCodec.putStringMap(out, book.tags(q.name()));
        } else if (query instanceof QueueQuery.DeadLetterSources q) {
            QueueResultCodec.putStrings(out, book.deadLetterSources(q.name()));
        } else if (query instanceof QueueQuery.DeadLetterSourcesAnywhere q) {
            QueueResultCodec.putStrings(out, book.deadLetterSourcesOf(q.name()));
        } else if (query instanceof QueueQuery.MoveTasksOf q) {
            List<MoveTask> tasks = book.moveTasks().list(q.sourceArn(), q.limit());
            QueueResultCodec.putMoveTasks(out, tasks);
        }
        return out.toByteArray();
    }

    /** Reads this replica's state under the read lock (possibly behind the leader): for approximate reads and waits. */
    public <T> T read(Function<QueueBook, T> reader) {
        lock.readLock().lock();
        try {
            return reader.apply(book);
        } finally {
            lock.readLock().unlock();
        }
    }
}
