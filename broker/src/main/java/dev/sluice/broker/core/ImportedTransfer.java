package dev.sluice.broker.core;

/** A transfer a destination queue imported, remembered until {@code expiresAtMillis} so a resend stores nothing. */
public record ImportedTransfer(long expiresAtMillis) implements Expiring {
}
