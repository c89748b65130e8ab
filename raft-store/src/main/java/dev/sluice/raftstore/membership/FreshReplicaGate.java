package dev.sluice.raftstore.membership;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides when this node may create a replica of a group on empty storage (a new node, a replica moving here, a node
 * whose disk was wiped): only once the group's leader reports a stable configuration without this node, and has
 * committed it. Raft's safety rests on each voter's persisted term, vote and log: a voter that lost them could vote a
 * second time in a term it already voted in, or help elect a leader missing an entry that its lost copy helped to
 * commit. A replica created while the group still counts this node as a member would receive that configuration from
 * the leader and vote with nothing behind it. Created after its removal is committed, the replica is nobody's member;
 * it becomes one only when the {@link MembershipController} adds it again, and Ratis then copies it the log or a
 * snapshot before the configuration that makes it a voter commits. (A node founding a new cluster's group creates its
 * replica without asking: {@code GroupFounding}.)
 *
 * <p>Threads: {@link #decide} from one worker thread; {@link #waiting} from any.
 */
final class FreshReplicaGate {
    private static final Logger LOG = LoggerFactory.getLogger(FreshReplicaGate.class);

    /** What a node with no replica of a group does about it now. */
    enum Verdict {
        /** The group's committed configuration does not hold this node: create the empty replica. */
        CREATE,
        /** No leader of the group answered: wait. */
        NO_LEADER,
        /** The group's leader still counts this node as a member: its storage was lost; wait for {@code node-replace}. */
        STILL_A_MEMBER,
        /** The configuration without this node is not committed (or a change is under way) yet: wait a pass. */
        NOT_COMMITTED
    }

    private static final String NO_ANSWER_YET = "no replica here yet: waits for an answer from the group's leader before creating one";

    private final String selfId;
    /** Per group, a log index at or above the first configuration seen without this node: committed past it, it holds. */
    private final Map<String, Long> removedAtOrBefore = new HashMap<>();
    private final Map<String, String> waiting = new ConcurrentHashMap<>();

    FreshReplicaGate(String selfId) {
        this.selfId = selfId;
    }

    /**
     * Records that this node has no replica of {@code group} and is to create one: until {@link #decide} allows it, the
     * group is {@link #waiting} (so a node that has not asked yet does not look ready).
     */
    void expect(String group) {
        waiting.putIfAbsent(group, NO_ANSWER_YET);
    }

    /**
     * Whether this node may create its empty replica of {@code group} now, given the membership its leader reported
     * (empty when no leader answered). Logs one line when the answer changes.
     */
    Verdict decide(String group, Optional<GroupMembership> leaderView) {
        Verdict verdict = verdict(group, leaderView);
        String reason = switch (verdict) {
            case CREATE -> null;
            case NO_LEADER -> NO_ANSWER_YET;
            case STILL_A_MEMBER -> "this node has no storage for the group, but the group's leader "
                    + leaderView.orElseThrow().leader() + " still counts it as a member: its data was lost. It takes no part "
                    + "in the group until an operator runs node-replace " + selfId + " (which removes it), then rejoins as a fresh replica";
            case NOT_COMMITTED -> "no replica here yet: waits until the group's configuration without this node is committed";
        };
        String before = reason == null ? waiting.remove(group) : waiting.put(group, reason);
        if (reason != null && !reason.equals(before) && verdict != Verdict.NO_LEADER) {
            if (verdict == Verdict.STILL_A_MEMBER) {
                LOG.warn("{}: {}", group, reason);
            } else {
                LOG.info("{}: {}", group, reason);
            }
        }
        return verdict;
    }

    private Verdict verdict(String group, Optional<GroupMembership> leaderView) {
        if (leaderView.isEmpty()) {
            return Verdict.NO_LEADER;
        }
        GroupMembership membership = leaderView.get();
        if (membership.holds(selfId)) {
            removedAtOrBefore.remove(group);
            return Verdict.STILL_A_MEMBER;
        }
        if (membership.changing()) {
            return Verdict.NOT_COMMITTED;
        }
        long removedBy = removedAtOrBefore.computeIfAbsent(group, name -> membership.lastIndex());
        if (membership.commitIndex() < removedBy) {
            return Verdict.NOT_COMMITTED;
        }
        removedAtOrBefore.remove(group);
        return Verdict.CREATE;
    }

    /** The groups this node waits to create a replica of, each with the reason (for health and the cluster view). */
    Map<String, String> waiting() {
        return Map.copyOf(waiting);
    }

    /** The group is no longer awaited here (created, or not assigned to this node any more). */
    void forget(String group) {
        removedAtOrBefore.remove(group);
        waiting.remove(group);
    }
}
