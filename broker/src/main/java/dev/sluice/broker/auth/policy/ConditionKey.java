package dev.sluice.broker.auth.policy;

import dev.sluice.broker.auth.Caller;
import java.util.Locale;
import java.util.Optional;

/**
 * The condition keys Sluice can give a value for. A policy naming any other key is refused when set: a key Sluice
 * never fills would make every condition on it silently false (or true, for the negated operators).
 */
enum ConditionKey {
    /** The client's IP address. */
    SOURCE_IP("aws:SourceIp", Type.IP),
    /** Whether the request came over TLS. */
    SECURE_TRANSPORT("aws:SecureTransport", Type.BOOLEAN),
    /** The resource a service acts for (a topic delivering to a queue); absent on a direct request. */
    SOURCE_ARN("aws:SourceArn", Type.ARN),
    /** The account owning {@link #SOURCE_ARN}; absent on a direct request. */
    SOURCE_ACCOUNT("aws:SourceAccount", Type.STRING),
    /**
     * The older name SNS's default topic policy uses: the source's owner on a service request, the caller's own
     * account on a direct one (so the default policy means "callers of the owner account").
     */
    SOURCE_OWNER("aws:SourceOwner", Type.STRING),
    /** The account of the caller. */
    PRINCIPAL_ACCOUNT("aws:PrincipalAccount", Type.STRING);

    /** What kind of value a key holds, which decides the operators it may be used with. */
    enum Type { STRING, ARN, IP, BOOLEAN }

    private final String wireName;
    private final Type type;

    ConditionKey(String wireName, Type type) {
        this.wireName = wireName;
        this.type = type;
    }

    String wireName() {
        return wireName;
    }

    Type type() {
        return type;
    }

    /** The key a policy names (condition key names are case-insensitive). */
    static Optional<ConditionKey> named(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (ConditionKey key : values()) {
            if (key.wireName.toLowerCase(Locale.ROOT).equals(lower)) {
                return Optional.of(key);
            }
        }
        return Optional.empty();
    }

    /** The request's value of this key, or null when the request has none. */
    String valueIn(Caller caller, RequestContext context) {
        return switch (this) {
            case SOURCE_IP -> context.sourceIp();
            case SECURE_TRANSPORT -> context.secureTransport() == null ? null : context.secureTransport().toString();
            case SOURCE_ARN -> context.sourceArn();
            case SOURCE_ACCOUNT -> context.sourceAccount();
            case SOURCE_OWNER -> context.isServiceRequest() ? context.sourceAccount() : caller.accountId();
            case PRINCIPAL_ACCOUNT -> context.isServiceRequest() ? null : caller.accountId();
        };
    }
}
