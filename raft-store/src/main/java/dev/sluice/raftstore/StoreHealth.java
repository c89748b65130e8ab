package dev.sluice.raftstore;

import java.util.Map;

/**
 * @param live the node runs and no group has hit a fatal error
 * @param ready every group hosted here has a leader this node reaches (it leads with a majority answering, or heard
 *     from its leader within a few heartbeats) and the storage accepts writes
 * @param leaders leader id per group name ("" when none is known)
 * @param problems per group, why it is not ready
 */
public record StoreHealth(boolean live, boolean ready, Map<String, String> leaders, Map<String, String> problems) {
}
