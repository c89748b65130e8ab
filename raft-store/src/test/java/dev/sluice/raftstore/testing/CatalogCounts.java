package dev.sluice.raftstore.testing;

import dev.sluice.raftstore.catalog.Catalog;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Reads every key of a namespace, linearizably or from one node's replica. */
public final class CatalogCounts {
    private CatalogCounts() {
    }

    public static Set<String> keys(Catalog catalog, String namespace, String replicaNodeId) throws Exception {
        Set<String> keys = new HashSet<>();
        String after = null;
        while (true) {
            Catalog.Page page = replicaNodeId == null
                    ? catalog.scan(namespace, "", after, 1000).get(30, TimeUnit.SECONDS)
                    : catalog.scanReplica(replicaNodeId, namespace, "", after, 1000).get(30, TimeUnit.SECONDS);
            for (Catalog.Entry entry : page.entries()) {
                keys.add(entry.key());
                after = entry.key();
            }
            if (!page.more()) {
                return keys;
            }
        }
    }
}
