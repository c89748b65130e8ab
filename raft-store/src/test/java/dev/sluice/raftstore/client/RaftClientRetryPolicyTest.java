package dev.sluice.raftstore.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import org.apache.ratis.client.retry.ClientRetryEvent;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.util.Timestamp;
import org.junit.jupiter.api.Test;

/**
 * The group client's Ratis client sends a request again only within the request timeout: a request may not outlive
 * the leader's retry cache, or a command its caller was told had failed would be applied twice.
 */
class RaftClientRetryPolicyTest {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    private final RetryPolicy policy = GroupClient.retryPolicy(REQUEST_TIMEOUT);

    @Test
    void everyKindOfRequestIsSentAgainAfterATenthOfASecondWhileItsTimeLasts() {
        for (RaftClientRequest.Type type : new RaftClientRequest.Type[] {RaftClientRequest.writeRequestType(),
                RaftClientRequest.readRequestType(), RaftClientRequest.staleReadRequestType(0)}) {
            RetryPolicy.Action action = policy.handleAttemptFailure(event(type, 200, Timestamp.currentTime()));
            assertTrue(action.shouldRetry(), type + " is sent again");
            assertEquals(100, action.getSleepTime().toLong(java.util.concurrent.TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void noRequestIsSentAgainOnceTheRequestTimeoutHasPassed() {
        Timestamp madeBefore = Timestamp.currentTime().addTimeMs(-REQUEST_TIMEOUT.toMillis() - 1);
        for (RaftClientRequest.Type type : new RaftClientRequest.Type[] {RaftClientRequest.writeRequestType(),
                RaftClientRequest.readRequestType(), RaftClientRequest.staleReadRequestType(0)}) {
            // The second attempt: a count of attempts would still allow a hundred more.
            assertFalse(policy.handleAttemptFailure(event(type, 2, madeBefore)).shouldRetry(), type + " is not");
        }
    }

    private static ClientRetryEvent event(RaftClientRequest.Type type, int attempt, Timestamp made) {
        RaftClientRequest request = RaftClientRequest.newBuilder().setClientId(ClientId.randomId())
                .setServerId(RaftPeerId.valueOf("n1")).setGroupId(RaftGroupId.randomId()).setCallId(1)
                .setMessage(Message.EMPTY).setType(type).build();
        return new ClientRetryEvent(attempt, request, 1, new IOException("no leader"), made);
    }
}
