package dev.sluice.raftstore;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;

/**
 * Peer liveness from Raft's own traffic, without probing anyone: a division that leads its group knows how long
 * ago each follower last answered an append or heartbeat; a following division knows how long ago its leader
 * last reached it (both from Ratis's {@code RoleInfoProto}, field {@code lastRpcElapsedTimeMs}). A peer is
 * {@code UP} when any division on this node heard from it within {@code staleAfter}, {@code DOWN} when some
 * division tracks it but none heard from it that recently, and {@code UNKNOWN} when no division here exchanges
 * heartbeats with it (this node follows in every group the peer follows too). With leadership spread over the
 * nodes ({@link LeadershipBalancer}) every node leads some group, so every peer is judged.
 *
 * <p>Threads: any; it reads Ratis's thread-safe division info.
 */
final class PeerLiveness {
    private PeerLiveness() {
    }

    /** A leader's view of one follower: when it last answered and the last log index it holds. */
    record FollowerProgress(String id, long lastContactMillis, long matchIndex) {
    }

    static Map<String, ClusterView.NodeState> states(RaftServer server, List<RaftGroupId> groups, List<String> peerIds,
            Duration staleAfter) {
        Map<String, Long> freshest = new HashMap<>();
        for (RaftGroupId group : groups) {
            RoleInfoProto role;
            try {
                role = server.getDivision(group).getInfo().getRoleInfoProto();
            } catch (IOException | RuntimeException e) {
                continue; // group not running here
            }
            contacts(role).forEach((peer, elapsed) -> freshest.merge(peer, elapsed, Math::min));
        }
        Map<String, ClusterView.NodeState> states = new HashMap<>();
        for (String peer : peerIds) {
            Long elapsed = freshest.get(peer);
            ClusterView.NodeState state = peer.equals(server.getId().toString()) ? ClusterView.NodeState.UP
                    : elapsed == null ? ClusterView.NodeState.UNKNOWN
                    : elapsed <= staleAfter.toMillis() ? ClusterView.NodeState.UP : ClusterView.NodeState.DOWN;
            states.put(peer, state);
        }
        return states;
    }

    /** Milliseconds since this division last heard from each peer it tracks. */
    private static Map<String, Long> contacts(RoleInfoProto role) {
        Map<String, Long> elapsed = new HashMap<>();
        if (role.hasLeaderInfo()) {
            role.getLeaderInfo().getFollowerInfoList().forEach(follower -> elapsed.put(idOf(follower), follower.getLastRpcElapsedTimeMs()));
        } else if (role.hasFollowerInfo() && role.getFollowerInfo().hasLeaderInfo()
                && !role.getFollowerInfo().getLeaderInfo().getId().getId().isEmpty()) {
            ServerRpcProto leader = role.getFollowerInfo().getLeaderInfo();
            elapsed.put(idOf(leader), leader.getLastRpcElapsedTimeMs());
        }
        return elapsed;
    }

    /**
     * Why this node cannot reach a working leader of {@code division}'s group, or null when it can: it leads the
     * group, has applied its first entry of the term, and a majority of the members (itself included) answered
     * within {@code staleAfter}; or it follows a leader it heard from within {@code staleAfter}. A leader named
     * but silent (killed, frozen, cut off) therefore makes the group not ready here before the election replaces it.
     */
    static String leaderProblem(RaftServer.Division division, Duration staleAfter) {
        var info = division.getInfo();
        RaftPeerId leader = info.getLeaderId();
        if (leader == null) {
            return "no leader known";
        }
        if (info.isLeader()) {
            if (!info.isLeaderReady()) {
                return "elected leader here, not ready yet";
            }
            long answered = 1 + followers(division).stream()
                    .filter(follower -> follower.lastContactMillis() <= staleAfter.toMillis()).count();
            int members = division.getGroup().getPeers().size();
            return answered * 2 > members ? null : "leader here, but only " + answered + " of " + members
                    + " members answered within " + staleAfter.toMillis() + " ms";
        }
        RoleInfoProto role = info.getRoleInfoProto();
        if (!role.hasFollowerInfo() || !role.getFollowerInfo().hasLeaderInfo()) {
            return "no leader known";
        }
        long silentMillis = role.getFollowerInfo().getLeaderInfo().getLastRpcElapsedTimeMs();
        return silentMillis <= staleAfter.toMillis() ? null
                : "leader " + leader + " not heard from for " + silentMillis + " ms";
    }

    /**
     * The followers of a group this node leads, or an empty list when it does not lead it. Ratis lists the
     * followers' RPC info and match indices in the same order (both walk the leader's log appenders).
     */
    static List<FollowerProgress> followers(RaftServer.Division division) {
        RoleInfoProto role = division.getInfo().getRoleInfoProto();
        if (!role.hasLeaderInfo()) {
            return List.of();
        }
        List<ServerRpcProto> rpcs = role.getLeaderInfo().getFollowerInfoList();
        long[] matchIndices = division.getInfo().getFollowerMatchIndices();
        if (matchIndices == null || matchIndices.length != rpcs.size()) {
            return List.of(); // leadership changed between the two reads
        }
        List<FollowerProgress> progress = new ArrayList<>(rpcs.size());
        for (int i = 0; i < rpcs.size(); i++) {
            progress.add(new FollowerProgress(idOf(rpcs.get(i)), rpcs.get(i).getLastRpcElapsedTimeMs(), matchIndices[i]));
        }
        return progress;
    }

    private static String idOf(ServerRpcProto rpc) {
        return RaftPeerId.valueOf(rpc.getId().getId()).toString();
    }
}
