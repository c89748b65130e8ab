package dev.sluice.broker.ops;

import java.util.HashSet;
import java.util.Set;
import java.util.SortedSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cardinality bound of the per-queue (and per-topic) meters: at most {@code limit} names get a label of their own on this
 * node; the rest are summed under {@value #OVERFLOW}, and the first time that happens a warning says so. A name keeps
 * its label while this node exports it; a slot freed (queue deleted, or its group now led elsewhere) goes to the next
 * name by name order. The overflow series sums the queues in it right now, so it may drop when one of them gets a
 * label: Prometheus reads that as a counter reset. Thread-safe (scrapes may overlap).
 */
final class QueueLabels {
    /** The {@code queue} label value of the queues beyond the limit. */
    static final String OVERFLOW = "__overflow__";
    private static final Logger LOG = LoggerFactory.getLogger(QueueLabels.class);

    private final int limit;
    private final String label;
    private final Set<String> labelled = new HashSet<>();
    private boolean warned;

    /** @param label the label this bounds ({@code queue}, {@code topic}), for the warning */
    QueueLabels(int limit, String label) {
        this.limit = limit;
        this.label = label;
    }

    /**
     * Starts a scrape that exports {@code names}: names no longer exported give up their label, then names without one
     * get a free slot in name order. Call before {@link #of}.
     */
    synchronized void admit(SortedSet<String> names) {
        labelled.retainAll(names);
        int overflowing = 0;
        for (String name : names) {
            if (labelled.contains(name)) {
                continue;
            }
            if (labelled.size() < limit) {
                labelled.add(name);
            } else {
                overflowing++;
            }
        }
        if (overflowing > 0 && !warned) {
            warned = true;
            LOG.warn("{} {}s beyond the limit of {} labelled {}s on this node are summed under {}=\"{}\" in "
                    + "/metrics (setting metrics.maxLabelledQueues)", overflowing, label, limit, label, label, OVERFLOW);
        }
    }

    /** The label value of {@code name}: itself, or {@value #OVERFLOW}. */
    synchronized String of(String name) {
        return labelled.contains(name) ? name : OVERFLOW;
    }
}
