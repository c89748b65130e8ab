package dev.sluice.broker.cluster;

import java.util.Set;

/**
 * One fault a {@link Nemesis} injects into a multi-process cluster and later heals: {@link KillFault},
 * {@link FreezeFault}, {@link PartitionFault}, {@link PowerLossFault}.
 */
interface Fault {
    /** The kind, as the figures group faults: "kill", "freeze", "partition", "power loss (one node)"... */
    String kind();

    /** This fault's victims and role, for the log: "n2 (leader of data-1)". */
    String describe();

    /** The nodes clients cannot count on while the fault lasts. */
    Set<Integer> faultedNodes();

    void inject() throws Exception;

    /** Ends the fault: restarts, thaws or reconnects the nodes (the {@link Nemesis} then waits until they are healthy). */
    void heal() throws Exception;

    /** Whether {@link #heal} starts processes again, so the time until they are healthy is a restart time. */
    default boolean restarts() {
        return false;
    }
}
