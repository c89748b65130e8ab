package dev.sluice.raftstore.catalog;

/** {@link Catalog#update} met a concurrent change on every attempt; the caller may retry later. */
public final class UpdateConflictException extends RuntimeException {
    public UpdateConflictException(String namespace, String key) {
        super("too many concurrent changes to " + namespace + "/" + key);
    }
}
