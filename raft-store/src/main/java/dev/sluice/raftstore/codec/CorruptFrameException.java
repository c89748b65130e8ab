package dev.sluice.raftstore.codec;

/** A frame that cannot be decoded: truncated, or of a format this node does not know. Fatal inside apply. */
public final class CorruptFrameException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CorruptFrameException(String message) {
        super(message);
    }
}
