package dev.sluice.raftstore.replication;

import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcFactory;
import org.apache.ratis.rpc.RpcFactory;
import org.apache.ratis.rpc.RpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.leader.FollowerInfo;
import org.apache.ratis.server.leader.LeaderState;
import org.apache.ratis.server.leader.LogAppender;

/**
 * Ratis's gRPC transport whose log appenders are {@link CommitHeartbeatLogAppender}s. Named in
 * {@code raft.rpc.type} by class name (Ratis's way to plug in a transport); Ratis instantiates it through the public
 * no-argument constructor.
 */
public final class CommitHeartbeatRpcType implements RpcType {
    @Override
    public String name() {
        return getClass().getName();
    }

    @Override
    public RpcFactory newFactory(Parameters parameters) {
        return new GrpcFactory(parameters) {
            @Override
            public LogAppender newLogAppender(RaftServer.Division server, LeaderState state, FollowerInfo follower) {
                return new CommitHeartbeatLogAppender(server, state, follower);
            }
        };
    }
}
