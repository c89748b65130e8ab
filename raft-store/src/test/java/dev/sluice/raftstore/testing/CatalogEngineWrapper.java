package dev.sluice.raftstore.testing;

import dev.sluice.raftstore.catalog.CatalogEngine;
import dev.sluice.raftstore.spi.ApplyContext;
import dev.sluice.raftstore.spi.DomainEngine;
import dev.sluice.raftstore.spi.StoreReader;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The catalog's engine with one part a test changes (a command applied slowly, counted or refused; a rebuild held
 * back): a subclass overrides that part and leaves the rest, the node's own catalog included, to {@link CatalogEngine}.
 */
public abstract class CatalogEngineWrapper implements DomainEngine {
    private final CatalogEngine catalog = new CatalogEngine();

    @Override
    public List<String> columnFamilies() {
        return catalog.columnFamilies();
    }

    @Override
    public CompletableFuture<Void> recover(StoreReader reader) {
        return catalog.recover(reader);
    }

    @Override
    public byte[] apply(int commandType, ByteBuffer payload, ApplyContext context) {
        return catalog.apply(commandType, payload, context);
    }

    @Override
    public byte[] query(ByteBuffer request, StoreReader reader) {
        return catalog.query(request, reader);
    }
}
