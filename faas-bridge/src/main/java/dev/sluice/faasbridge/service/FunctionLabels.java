package dev.sluice.faasbridge.service;

import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cardinality bound of the bridge's meters: at most {@code limit} function names get a {@code function} label of
 * their own on this bridge, taken in the order their mappings start here; the meters of the rest are summed under
 * {@value #OVERFLOW}, with one warning the first time. A name keeps its label while a mapping of it runs here. Called by
 * the supervisor's reconcile pass only (synchronised there).
 */
final class FunctionLabels {
    /** The {@code function} label value of the functions beyond the limit (as the queue and topic meters spell it). */
    static final String OVERFLOW = "__overflow__";
    private static final Logger LOG = LoggerFactory.getLogger(FunctionLabels.class);

    private final int limit;
    private final Set<String> labelled = new HashSet<>();
    private boolean warned;

    FunctionLabels(int limit) {
        this.limit = limit;
    }

    /** The label of {@code functionName}: itself while there is room (or it has one), else {@value #OVERFLOW}. */
    String of(String functionName) {
        if (labelled.contains(functionName)) {
            return functionName;
        }
        if (labelled.size() < limit) {
            labelled.add(functionName);
            return functionName;
        }
        if (!warned) {
            warned = true;
            LOG.warn("functions beyond the limit of {} labelled functions on this bridge are summed under function=\"{}\" "
                    + "in /metrics (setting metrics.maxLabelledQueues)", limit, OVERFLOW);
        }
        return OVERFLOW;
    }

    /** {@code label}'s last mapping stopped here: its slot is free again. */
    void release(String label) {
        labelled.remove(label);
    }
}
