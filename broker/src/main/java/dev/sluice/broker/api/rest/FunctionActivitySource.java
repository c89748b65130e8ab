package dev.sluice.broker.api.rest;

import dev.sluice.faasbridge.service.BridgeActivity;
import java.util.List;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;

/**
 * Where the Functions page's numbers come from: every node's bridge polls every mapping (competing consumers), so a
 * function's invocations, errors and concurrency are the sums over the nodes, and its recent errors the merge of each
 * node's.
 */
public interface FunctionActivitySource {

    /** A problem a mapping's poller met on node {@code node}. */
    record NodeError(String node, BridgeActivity.MappingError error) {
    }

    /**
     * @param functions per function label, the nodes' numbers together ({@link BridgeActivity.FunctionNumbers#plus})
     * @param recentErrors every answering node's, newest first, at most {@link BridgeActivity#MAX_RECENT_ERRORS}
     * @param unansweredNodes the nodes whose numbers are missing (down, or not answering in time)
     */
    record Answer(SortedMap<String, BridgeActivity.FunctionNumbers> functions, List<NodeError> recentErrors,
            List<String> unansweredNodes) {
    }

    /** This node's id and its bridge's activity. */
    String nodeId();

    BridgeActivity local();

    CompletableFuture<Answer> cluster();
}
