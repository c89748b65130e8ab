package dev.sluice.raftstore.membership;

import dev.sluice.raftstore.Peer;
import dev.sluice.raftstore.StoreGroups;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.RaftPeerProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;

/**
 * Reads and changes groups' Raft memberships over RPC, for nodes that may not host the group themselves. One
 * Ratis client per group, over every node of the layout; rebuilt when the set of nodes changes. Each call
 * is one attempt: the workers that use it retry on their next pass. Reads and leadership transfers answer within
 * {@link #ATTEMPT_TIMEOUT}; a membership change answers only once Ratis has committed the new configuration, which for
 * an added member waits until it has caught up by log or snapshot, so it has clients of its own with
 * {@link #CHANGE_TIMEOUT}.
 *
 * <p>Threads: one worker thread at a time per instance, except {@link #setMembership}, which any number of threads
 * may call for different groups at once.
 */
final class MembershipClient implements AutoCloseable {
    private static final TimeDuration ATTEMPT_TIMEOUT = TimeDuration.valueOf(2, TimeUnit.SECONDS);
    /**
     * How long a membership change may take: longer than a new member's catch-up by snapshot is expected to (seconds
     * here); Ratis itself fails a change whose new member stops making progress ({@code raft.server.staging.timeout}).
     */
    static final TimeDuration CHANGE_TIMEOUT = TimeDuration.valueOf(60, TimeUnit.SECONDS);
    private final Map<String, RaftClient> clients = new ConcurrentHashMap<>();
    private final Map<String, RaftClient> changeClients = new ConcurrentHashMap<>();
    private final Map<String, String> lastLeaders = new ConcurrentHashMap<>();
    private volatile List<Peer> peers = List.of();

    /** Points the clients at these nodes (a no-op when they are the ones already known). */
    void useNodes(List<Peer> nodes) {
        if (nodes.equals(peers)) {
            return;
        }
        closeClients();
        peers = List.copyOf(nodes);
    }

    private RaftClient client(String group) {
        return clients.computeIfAbsent(group, name -> newClient(name, null, ATTEMPT_TIMEOUT));
    }

    /**
     * The group's client, aimed at {@code leader}: an admin call (membership change, leadership transfer) goes to the
     * client's current leader, which a new client takes to be the first node it knows. Were that a node without a
     * replica of the group, it would answer "group not found", which a Ratis client never takes as a hint to try
     * another node, so every later pass would fail the same way (a move that never finished once a group no longer
     * lived on the first node). The caller has just read who leads.
     */
    private RaftClient clientAt(String group, String leader) {
        return clientAt(clients, group, leader, ATTEMPT_TIMEOUT);
    }

    private RaftClient clientAt(Map<String, RaftClient> pool, String group, String leader, TimeDuration timeout) {
        RaftClient current = pool.computeIfAbsent(group, name -> newClient(name, null, timeout));
        RaftPeerId leaderId = RaftPeerId.valueOf(leader);
        if (leaderId.equals(current.getLeaderId())) {
            return current;
        }
        RaftClient aimed = newClient(group, leaderId, timeout);
        pool.put(group, aimed);
        closeQuietly(current);
        return aimed;
    }

    private RaftClient newClient(String group, RaftPeerId leader, TimeDuration timeout) {
        RaftProperties properties = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(properties, timeout);
        RaftGroup raftGroup = StoreGroups.group(group, peers);
        var builder = RaftClient.newBuilder().setProperties(properties).setRaftGroup(raftGroup).setClientId(ClientId.randomId())
                .setRetryPolicy(RetryPolicies.noRetry());
        if (leader != null) {
            builder.setLeaderId(leader);
        }
        return builder.build();
    }

    /**
     * The group's membership from its leader, asking the last leader seen first and then {@code candidates}; empty
     * when none of them leads it now (an election, or the group has no majority).
     */
    Optional<GroupMembership> membership(String group, List<String> candidates) {
        Set<String> order = new LinkedHashSet<>();
        Optional.ofNullable(lastLeaders.get(group)).ifPresent(order::add);
        order.addAll(candidates);
        Set<String> known = new LinkedHashSet<>();
        peers.forEach(peer -> known.add(peer.id()));
        for (String candidate : order) {
            if (!known.contains(candidate)) {
                continue;
            }
            GroupInfoReply reply;
            try {
                reply = client(group).getGroupManagementApi(RaftPeerId.valueOf(candidate)).info(StoreGroups.groupId(group));
            } catch (IOException | RuntimeException unreachable) {
                continue;
            }
            RoleInfoProto role = reply.getRoleInfoProto();
            if (role.getRole() == RaftPeerRole.LEADER && reply.getConf().isPresent()) {
                lastLeaders.put(group, candidate);
                return Optional.of(describe(candidate, reply));
            }
            if (role.hasFollowerInfo() && role.getFollowerInfo().hasLeaderInfo()
                    && !role.getFollowerInfo().getLeaderInfo().getId().getId().isEmpty()) {
                lastLeaders.put(group, RaftPeerId.valueOf(role.getFollowerInfo().getLeaderInfo().getId().getId()).toString());
            }
        }
        return Optional.empty();
    }

    /** True when {@code nodeId} answers that it has a replica of the group (perhaps still empty). */
    boolean hosts(String nodeId, String group) {
        if (peers.stream().noneMatch(peer -> peer.id().equals(nodeId))) {
            return false;
        }
        try {
            return client(group).getGroupManagementApi(RaftPeerId.valueOf(nodeId)).info(StoreGroups.groupId(group)).isSuccess();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The members (voters and listeners) that {@code nodeId}'s replica of the group names, when it answers and its
     * configuration names any: the group was founded (that replica may be behind). Empty when the node does not
     * answer, does not host the group, or hosts it empty.
     */
    Optional<Set<String>> foundedMembers(String nodeId, String group) {
        if (peers.stream().noneMatch(peer -> peer.id().equals(nodeId))) {
            return Optional.empty();
        }
        try {
            GroupInfoReply reply = client(group).getGroupManagementApi(RaftPeerId.valueOf(nodeId)).info(StoreGroups.groupId(group));
            if (!reply.isSuccess() || reply.getConf().isEmpty()) {
                return Optional.empty();
            }
            Set<String> members = new LinkedHashSet<>(ids(reply.getConf().get().getPeersList()));
            members.addAll(ids(reply.getConf().get().getListenersList()));
            return members.isEmpty() ? Optional.empty() : Optional.of(members);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static GroupMembership describe(String leader, GroupInfoReply reply) {
        var conf = reply.getConf().orElseThrow();
        Map<String, Long> commits = new HashMap<>();
        reply.getCommitInfos().forEach(info -> commits.put(idOf(info.getServer()), info.getCommitIndex()));
        Map<String, Long> silence = new HashMap<>();
        reply.getRoleInfoProto().getLeaderInfo().getFollowerInfoList()
                .forEach(follower -> silence.put(idOf(follower.getId()), follower.getLastRpcElapsedTimeMs()));
        long commitIndex = reply.getLogInfoProto().getCommitted().getIndex();
        boolean changing = conf.getOldPeersCount() > 0 || conf.getOldListenersCount() > 0;
        return new GroupMembership(ids(conf.getPeersList()), ids(conf.getListenersList()), leader, changing, commitIndex,
                reply.getLogInfoProto().getLastEntry().getIndex(), commits, silence);
    }

    private static List<String> ids(List<RaftPeerProto> peers) {
        return peers.stream().map(MembershipClient::idOf).toList();
    }

    private static String idOf(RaftPeerProto peer) {
        return RaftPeerId.valueOf(peer.getId()).toString();
    }

    /**
     * Sets the group's voters and listeners, only if its membership is still {@code current} (Ratis's
     * compare-and-set): a controller acting on a stale read changes nothing. Returns once Ratis has committed the new
     * configuration (an added member has caught up first), or throws; blocks up to {@link #CHANGE_TIMEOUT}.
     */
    void setMembership(String group, GroupMembership current, List<String> voters, List<String> listeners) throws IOException {
        SetConfigurationRequest.Arguments arguments = SetConfigurationRequest.Arguments.newBuilder()
                .setServersInNewConf(raftPeers(voters)).setListenersInNewConf(raftPeers(listeners))
                .setServersInCurrentConf(raftPeers(current.voters())).setListenersInCurrentConf(raftPeers(current.listeners()))
                .setMode(SetConfigurationRequest.Mode.COMPARE_AND_SET).build();
        RaftClientReply reply = clientAt(changeClients, group, current.leader(), CHANGE_TIMEOUT).admin()
                .setConfiguration(arguments);
        if (!reply.isSuccess()) {
            throw new IOException(group + ": membership change to voters " + voters + " listeners " + listeners + " failed",
                    reply.getException());
        }
    }

    /** Hands the group's leadership from its leader as {@code current} read it to {@code nodeId}. */
    void transferLeadership(String group, GroupMembership current, String nodeId, long timeoutMillis) throws IOException {
        RaftClientReply reply = clientAt(group, current.leader()).admin().transferLeadership(RaftPeerId.valueOf(nodeId),
                timeoutMillis);
        if (!reply.isSuccess()) {
            throw new IOException(group + ": leadership transfer to " + nodeId + " failed", reply.getException());
        }
    }

    private List<RaftPeer> raftPeers(List<String> ids) {
        List<RaftPeer> result = new ArrayList<>();
        for (String id : ids) {
            Peer peer = peers.stream().filter(each -> each.id().equals(id)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("node " + id + " is not in the layout"));
            result.add(RaftPeer.newBuilder().setId(peer.id()).setAddress(peer.address()).build());
        }
        return result;
    }

    private void closeClients() {
        clients.values().forEach(MembershipClient::closeQuietly);
        clients.clear();
        changeClients.values().forEach(MembershipClient::closeQuietly);
        changeClients.clear();
    }

    private static void closeQuietly(RaftClient client) {
        try {
            client.close();
        } catch (IOException | RuntimeException e) {
            // closing: nothing to do
        }
    }

    @Override
    public void close() {
        closeClients();
    }
}
