package dev.sluice.raftstore.catalog;

/** Catalog command and query type ids: an append-only registry, never renumber. */
final class CatalogCommand {
    static final int PUT = 1;
    static final int DELETE = 2;
    static final int PUT_IF_ABSENT = 3;
    /** Replaces the value only while it still equals the expected bytes (compare-and-set). */
    static final int REPLACE_IF = 4;
    /** Deletes the key only while its value still equals the expected bytes. */
    static final int DELETE_IF = 5;
    /**
     * Puts the value unless the key exists or the namespace already holds the limit of keys under a prefix: a count
     * quota's check and claim in one apply. Feature level 2 ({@link dev.sluice.raftstore.FeatureLevel}).
     */
    static final int PUT_IF_FEWER = 6;

    static final int QUERY_GET = 1;
    static final int QUERY_SCAN = 2;

    static final int SCAN_LIMIT_MAX = 1000;

    private CatalogCommand() {
    }
}
