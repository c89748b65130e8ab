package dev.sluice.clientsdk.filter;

/** A pattern that cannot be compiled; the message says what is wrong and where. No stack trace: this is bad input. */
public final class InvalidPatternException extends RuntimeException {
    public InvalidPatternException(String message) {
        super(message, null, false, false);
    }
}
