package dev.sluice.raftstore;

import java.io.IOException;

/**
 * A group's leader refused a command or a linearizable read because fewer members vote in its configuration than a
 * majority of the replicas the cluster layout assigns the group (a new cluster's founder alone, before the membership
 * controller added the others). Nothing was appended: a retry is safe, and succeeds once enough members vote.
 *
 * <p>Travels inside Ratis's StateMachineException, which rebuilds it on the client from its class name and message:
 * keep the public (String) constructor.
 */
public final class GroupNotFormedException extends IOException {
    private static final long serialVersionUID = 1L;

    public GroupNotFormedException(String message) {
        super(message);
    }
}
