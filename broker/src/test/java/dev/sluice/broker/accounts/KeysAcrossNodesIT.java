package dev.sluice.broker.accounts;

import dev.sluice.broker.SluiceServer;
import dev.sluice.broker.ThreeNodeServers;
import dev.sluice.clientsdk.auth.AwsCredentials;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Keys live in the replicated catalog: a key an operator creates on one node of a 3-node cluster (in one JVM) signs
 * requests on the others, and disabling it there is refused on a node that did not answer the operator within the
 * refresh bound (its directory learns it from its own catalog replica).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class KeysAcrossNodesIT {
    @TempDir
    Path data;

    @Test
    void aKeyCreatedOnOneNodeSignsOnTheOthersAndItsDisablingReachesThemWithinTheBound() throws Exception {
        List<SluiceServer> nodes = ThreeNodeServers.start(data, AccountsIT.keyed(Optional.of(AccountsIT.clusterKey(3))),
                config -> SluiceServer.start(config, List.of(), InstantSource.system()));
        try {
            AdminApi first = new AdminApi(nodes.get(0).httpPort(), AwsCredentials.of(AccountsIT.OPS, AccountsIT.OPS_SECRET));
            String account = first.createAccount("Everywhere");
            AwsCredentials key = first.createKey(account);
            try (SqsClient second = new AdminApi(nodes.get(1).httpPort(), null).sqs(key);
                    SqsClient third = new AdminApi(nodes.get(2).httpPort(), null).sqs(key)) {
                AccountsIT.awaitWorking(second);
                AccountsIT.awaitWorking(third);
                AccountsIT.sendAndReceive(third, "everywhere");
                first.call("POST", "/v1/admin/accounts/" + account + "/keys/" + key.accessKeyId() + "/disable", null);
                AccountsIT.untilRefused(third);
                AccountsIT.untilRefused(second);
            }
        } finally {
            nodes.forEach(SluiceServer::close);
        }
    }
}
