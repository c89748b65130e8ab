package dev.sluice.raftstore.catalog;

/** Catalog command and query type ids: an append-only registry, never renumber. */
final class CatalogCommand {
    static final int PUT = 1;
    static final int DELETE = 2;
    static final int PUT_IF_ABSENT = 3;

    static final int QUERY_GET = 1;
    static final int QUERY_SCAN = 2;

    static final int SCAN_LIMIT_MAX = 1000;

    private CatalogCommand() {
    }
}
