package dev.sluice.faasbridge.service;

import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cardinality bound of the bridge's meters: at most {@code limit} (function, source queue) pairs get labels of
 * their own on this bridge, taken in the order their mappings start here; the meters of the rest are summed under
 * {@code function="__overflow__", queue="__overflow__"}, with one warning the first time. Pairs, not function names, are
 * counted because each pair is a set of series: a function with many mappings cannot multiply the bound. A pair keeps
 * its labels while a mapping of it runs here. Called by the supervisor's reconcile pass only (synchronised there).
 */
final class FunctionLabels {
    /** The label value of the pairs beyond the limit (as the queue and topic meters spell it). */
    static final String OVERFLOW = "__overflow__";
    static final Label OVERFLOW_LABEL = new Label(OVERFLOW, OVERFLOW);
    private static final Logger LOG = LoggerFactory.getLogger(FunctionLabels.class);

    /**
     * The labels of a mapping's meters: its function's name and its source queue's name. Lambda (and Sluice) refuse a
     * second mapping of one function on one queue, so a pair names one mapping without the UUID's unbounded values.
     */
    record Label(String function, String queue) {
    }

    private final int limit;
    private final Set<Label> labelled = new HashSet<>();
    private boolean warned;

    FunctionLabels(int limit) {
        this.limit = limit;
    }

    /** The labels of a mapping of {@code functionName} on {@code queueName}: the pair while there is room, else overflow. */
    Label of(String functionName, String queueName) {
        Label label = new Label(functionName, queueName);
        if (labelled.contains(label)) {
            return label;
        }
        if (labelled.size() < limit) {
            labelled.add(label);
            return label;
        }
        if (!warned) {
            warned = true;
            LOG.warn("event source mappings beyond the limit of {} labelled (function, queue) pairs on this bridge are "
                    + "summed under function=\"{}\", queue=\"{}\" in /metrics (setting metrics.maxLabelledQueues)", limit,
                    OVERFLOW, OVERFLOW);
        }
        return OVERFLOW_LABEL;
    }

    /** {@code label}'s last mapping stopped here: its slot is free again. */
    void release(Label label) {
        labelled.remove(label);
    }
}
