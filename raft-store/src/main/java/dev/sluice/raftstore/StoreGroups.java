package dev.sluice.raftstore;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;

/**
 * The Raft groups of a cluster: {@code catalog} plus {@code data-0..data-N}. Group ids derive from
 * the names, so every node and every standalone client computes the same ids without coordination.
 */
public final class StoreGroups {
    /** Names of the first data groups, so that a lookup by index allocates nothing. */
    private static final String[] DATA_GROUP_NAMES = java.util.stream.IntStream.range(0, 256)
            .mapToObj(index -> "data-" + index).toArray(String[]::new);
    private static final java.util.Map<String, RaftGroupId> GROUP_IDS = new java.util.concurrent.ConcurrentHashMap<>();

    public static final String CATALOG = "catalog";

    private StoreGroups() {
    }

    public static String dataGroupName(int index) {
        return index >= 0 && index < DATA_GROUP_NAMES.length ? DATA_GROUP_NAMES[index] : "data-" + index;
    }

    /**
     * The Raft group id of group {@code name}: a name-based UUID, so an MD5 digest; remembered, since requests ask for
     * it (through {@code RaftStoreNode.servingEngine}) on every call.
     */
    public static RaftGroupId groupId(String name) {
        return GROUP_IDS.computeIfAbsent(name, key ->
                RaftGroupId.valueOf(UUID.nameUUIDFromBytes(("sluice:" + key).getBytes(StandardCharsets.UTF_8))));
    }

    public static RaftGroup group(String name, List<Peer> members) {
        List<RaftPeer> peers = new ArrayList<>();
        for (Peer member : members) {
            peers.add(RaftPeer.newBuilder().setId(member.id()).setAddress(member.address()).build());
        }
        return RaftGroup.valueOf(groupId(name), peers);
    }

    public static List<String> names(int dataGroups) {
        List<String> names = new ArrayList<>();
        names.add(CATALOG);
        for (int i = 0; i < dataGroups; i++) {
            names.add(dataGroupName(i));
        }
        return names;
    }
}
