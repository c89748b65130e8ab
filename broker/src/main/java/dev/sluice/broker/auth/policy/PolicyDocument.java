package dev.sluice.broker.auth.policy;

import java.util.List;

/** A parsed policy: its statements, compiled. Immutable; shared between threads through {@link PolicyCache}. */
public record PolicyDocument(List<Statement> statements) {

    public PolicyDocument {
        statements = List.copyOf(statements);
    }
}
