package dev.sluice.raftstore;

import dev.sluice.raftstore.client.GroupClient;
import java.io.IOException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spreads the data groups' leaders over the nodes. Elections put leaders wherever a timer fired first, often
 * all on one node, which then carries every group's appends, fsyncs and applies. Each group therefore has a
 * preferred leader: the one the cluster layout names (spread evenly by its placement, or chosen by an operator),
 * and before there is a layout a pure function of the membership: data group {@code i} prefers the {@code i}-th member
 * (members sorted by id, modulo their count), so {@code g} groups on {@code n} nodes give each node
 * {@code g/n} (rounded) to lead. Every node runs this worker; each pass looks only at groups this node leads
 * and hands at most one of them to its preferred member, and only when that member is up (it answered the
 * last heartbeat within {@code staleAfter}) and caught up (it holds the log up to what this node applied, less
 * {@link #MAX_LAG_ENTRIES}), and has been so at every pass for {@link #MIN_STEADY} ({@link SteadyFollowers}: not
 * while it is still starting). A preferred member that is down keeps nothing from anyone: its groups stay with
 * whoever the election chose, and move back once it is up and caught up again. Transfers use Ratis's
 * leadership transfer (the leader makes the target start an election it wins), so no write is lost; clients
 * ride the short change-over with their usual retries.
 *
 * <p>Threads: {@link #run} is called by one scheduler thread; it blocks for at most {@code transferTimeout}.
 */
final class LeadershipBalancer implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(LeadershipBalancer.class);
    /** A follower this far behind the leader's applied index would first need to catch up: not yet. */
    static final long MAX_LAG_ENTRIES = 64;
    /**
     * A node that has just become a group's leader keeps it this long before handing it on: right after a failover
     * the preferred member may be the node that failed, still looking alive (it answered within {@code staleAfter}),
     * and a transfer to it would stall the group's writes once more.
     */
    static final Duration MIN_TENURE = Duration.ofSeconds(10);
    /**
     * How long the preferred member must have been up and caught up: a node restarted inside a loaded cluster is ready
     * within about 5 s; handed a group at 2 s, it led while it started (benchmarks/RESULTS.md, "Restart time").
     */
    static final Duration MIN_STEADY = Duration.ofSeconds(10);

    private final RaftServer server;
    private final int dataGroups;
    private final IntFunction<GroupClient> clients;
    private final Duration staleAfter;
    private final Duration transferTimeout;
    /** Since when (System.nanoTime) this node has led each data group, as passes saw it; only the scheduler thread uses it. */
    private final java.util.Map<Integer, Long> leadingSince = new java.util.HashMap<>();
    private final SteadyFollowers steadyFollowers = new SteadyFollowers(MIN_STEADY, System::nanoTime);

    /** The layout's preferred leader of a data group, when the layout names one. */
    private final IntFunction<Optional<String>> layoutPreference;

    LeadershipBalancer(RaftServer server, int dataGroups, IntFunction<GroupClient> clients, Duration staleAfter,
            Duration transferTimeout, IntFunction<Optional<String>> layoutPreference) {
        this.layoutPreference = layoutPreference;
        this.server = server;
        this.dataGroups = dataGroups;
        this.clients = clients;
        this.staleAfter = staleAfter;
        this.transferTimeout = transferTimeout;
    }

    /** The preferred leader of data group {@code index} among {@code members}. */
    static String preferredLeader(int index, List<String> members) {
        List<String> sorted = members.stream().sorted().toList();
        return sorted.get(index % sorted.size());
    }

    @Override
    public void run() {
        try {
            for (int index = 0; index < dataGroups; index++) {
                if (transferIfMisplaced(index)) {
                    return; // one transfer a pass: each settles before the next is judged
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("leadership balancing pass failed; the next pass retries", e);
        }
    }

    private boolean transferIfMisplaced(int index) {
        RaftServer.Division division;
        try {
            division = server.getDivision(StoreGroups.groupId(StoreGroups.dataGroupName(index)));
        } catch (IOException e) {
            return false;
        }
        if (!division.getInfo().isLeaderReady()) {
            leadingSince.remove(index);
            return false;
        }
        long since = leadingSince.computeIfAbsent(index, group -> System.nanoTime());
        if (System.nanoTime() - since < MIN_TENURE.toNanos()) {
            return false;
        }
        List<String> members = division.getGroup().getPeers().stream().map(RaftPeer::getId).map(Object::toString).toList();
        if (members.size() < 2) {
            return false;
        }
        String preferred = layoutPreference.apply(index).filter(members::contains)
                .orElseGet(() -> preferredLeader(index, members));
        if (preferred.equals(server.getId().toString())) {
            return false;
        }
        long applied = division.getInfo().getLastAppliedIndex();
        Optional<PeerLiveness.FollowerProgress> ready = PeerLiveness.followers(division).stream()
                .filter(follower -> follower.id().equals(preferred))
                .filter(follower -> follower.lastContactMillis() <= staleAfter.toMillis())
                .filter(follower -> follower.matchIndex() >= applied - MAX_LAG_ENTRIES)
                .min(Comparator.comparingLong(PeerLiveness.FollowerProgress::lastContactMillis));
        if (!steadyFollowers.steady(index, preferred, ready.isPresent())) {
            return false;
        }
        String group = StoreGroups.dataGroupName(index);
        try {
            clients.apply(index).transferLeadership(preferred, transferTimeout);
            LOG.info("{}: handed leadership to its preferred leader {}", group, preferred);
        } catch (IOException | RuntimeException e) {
            LOG.info("{}: leadership transfer to {} did not complete ({}); the next pass retries", group, preferred,
                    e.getMessage());
        }
        return true;
    }
}
