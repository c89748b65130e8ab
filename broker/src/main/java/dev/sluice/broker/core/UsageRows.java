package dev.sluice.broker.core;

import java.util.List;

/** A usage read's answer: its counters, and whether more matched than one read returns (the rest left out). */
public record UsageRows(List<UsageRow> rows, boolean truncated) {
    public UsageRows {
        rows = List.copyOf(rows);
    }
}
