package dev.sluice.raftstore.membership;

import dev.sluice.raftstore.codec.BinaryReader;
import dev.sluice.raftstore.codec.BinaryWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link ClusterLayout} ↔ bytes: {@code [formatVersion:1][nodeCount:4]([id][host][port:4][httpUrl][state:1])*
 * [groupCount:4]([name][factor:4][memberCount:4][member]*[preferredLeader])*}, strings length-prefixed UTF-8.
 * A golden byte test holds the format; a version this code does not know is refused, never guessed.
 * Node states are stored by ordinal: append-only, never reorder {@link ClusterLayout.NodeState}.
 */
public final class LayoutCodec {
    static final int FORMAT_VERSION = 1;

    private LayoutCodec() {
    }

    public static byte[] encode(ClusterLayout layout) {
        BinaryWriter out = new BinaryWriter().putByte(FORMAT_VERSION).putInt(layout.nodes().size());
        for (ClusterLayout.Node node : layout.nodes()) {
            out.putString(node.id()).putString(node.host()).putInt(node.port()).putString(node.httpUrl())
                    .putByte(node.state().ordinal());
        }
        out.putInt(layout.groups().size());
        for (ClusterLayout.Group group : layout.groups()) {
            out.putString(group.name()).putInt(group.factor()).putInt(group.members().size());
            group.members().forEach(out::putString);
            out.putString(group.preferredLeader());
        }
        return out.toByteArray();
    }

    public static ClusterLayout decode(byte[] bytes) {
        BinaryReader in = new BinaryReader(bytes);
        int version = in.getByte();
        if (version != FORMAT_VERSION) {
            throw new IllegalStateException("cluster layout format " + version + " is not known to this version");
        }
        int nodeCount = in.getInt();
        List<ClusterLayout.Node> nodes = new ArrayList<>(nodeCount);
        for (int i = 0; i < nodeCount; i++) {
            nodes.add(new ClusterLayout.Node(in.getString(), in.getString(), in.getInt(), in.getString(),
                    ClusterLayout.NodeState.values()[in.getByte()]));
        }
        int groupCount = in.getInt();
        List<ClusterLayout.Group> groups = new ArrayList<>(groupCount);
        for (int i = 0; i < groupCount; i++) {
            String name = in.getString();
            int factor = in.getInt();
            int memberCount = in.getInt();
            List<String> members = new ArrayList<>(memberCount);
            for (int m = 0; m < memberCount; m++) {
                members.add(in.getString());
            }
            groups.add(new ClusterLayout.Group(name, factor, members, in.getString()));
        }
        return new ClusterLayout(nodes, groups);
    }
}
