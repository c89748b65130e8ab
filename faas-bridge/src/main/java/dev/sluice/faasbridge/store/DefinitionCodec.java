package dev.sluice.faasbridge.store;

import dev.sluice.faasbridge.core.EventSourceMapping;
import dev.sluice.faasbridge.core.FunctionDefinition;
import dev.sluice.faasbridge.core.QueueArn;
import dev.sluice.raftstore.codec.BinaryReader;
import dev.sluice.raftstore.codec.BinaryWriter;
import dev.sluice.raftstore.codec.CorruptFrameException;
import java.util.ArrayList;
import java.util.List;

/**
 * Catalog values of the bridge: {@code [formatVersion][fields]}, big-endian, length-prefixed strings
 * (raft-store's {@link BinaryWriter}). A version this code does not know is refused rather than guessed;
 * golden bytes under {@code src/test/resources/golden} hold the format still.
 */
public final class DefinitionCodec {
    static final int FUNCTION_V1 = 1;
    static final int MAPPING_V1 = 1;

    private DefinitionCodec() {
    }

    public static byte[] encode(FunctionDefinition function) {
        return new BinaryWriter().putByte(FUNCTION_V1).putString(function.name()).putString(function.invokeUrl())
                .putString(function.handler()).putInt(function.timeoutSeconds())
                .putInt(function.reservedConcurrency() == null ? -1 : function.reservedConcurrency())
                .putLong(function.lastModifiedMillis()).toByteArray();
    }

    public static FunctionDefinition decodeFunction(byte[] bytes) {
        BinaryReader in = new BinaryReader(bytes);
        int version = in.getByte();
        if (version != FUNCTION_V1) {
            throw new CorruptFrameException("unknown function format version " + version);
        }
        String name = in.getString();
        String url = in.getString();
        String handler = in.getString();
        int timeout = in.getInt();
        int reserved = in.getInt();
        return new FunctionDefinition(name, url, handler, timeout, reserved < 0 ? null : reserved, in.getLong());
    }

    public static byte[] encode(EventSourceMapping mapping) {
        BinaryWriter out = new BinaryWriter().putByte(MAPPING_V1).putString(mapping.uuid()).putString(mapping.functionName())
                .putString(mapping.eventSourceArn().toString()).putInt(mapping.batchSize())
                .putInt(mapping.maximumBatchingWindowSeconds())
                .putInt(mapping.maximumConcurrency() == null ? -1 : mapping.maximumConcurrency())
                .putBoolean(mapping.reportBatchItemFailures()).putInt(mapping.filterPatterns().size());
        mapping.filterPatterns().forEach(out::putString);
        return out.putBoolean(mapping.enabled()).putLong(mapping.lastModifiedMillis()).toByteArray();
    }

    public static EventSourceMapping decodeMapping(byte[] bytes) {
        BinaryReader in = new BinaryReader(bytes);
        int version = in.getByte();
        if (version != MAPPING_V1) {
            throw new CorruptFrameException("unknown mapping format version " + version);
        }
        String uuid = in.getString();
        String function = in.getString();
        QueueArn arn = QueueArn.parse(in.getString());
        int batchSize = in.getInt();
        int window = in.getInt();
        int concurrency = in.getInt();
        boolean report = in.getBoolean();
        int filters = in.getInt();
        List<String> patterns = new ArrayList<>(filters);
        for (int i = 0; i < filters; i++) {
            patterns.add(in.getString());
        }
        return new EventSourceMapping(uuid, function, arn, batchSize, window, concurrency < 0 ? null : concurrency, report,
                patterns, in.getBoolean(), in.getLong());
    }
}
