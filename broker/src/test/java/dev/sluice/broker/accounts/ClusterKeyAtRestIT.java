package dev.sluice.broker.accounts;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.sqs.SqsTestServer;
import dev.sluice.clientsdk.auth.AwsCredentials;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A created key's secret is stored only sealed under the cluster key: it is in no file of the data directory (Raft
 * logs, RocksDB, snapshots) and in nothing the server logs; a node restarted with another cluster key, or none,
 * refuses to start instead of using garbage; with the right key the key works again.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterKeyAtRestIT {
    @TempDir
    Path data;

    @Test
    void theSecretIsInNoDataFileNorLogAndAWrongOrMissingClusterKeyRefusesToStart() throws Exception {
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        PrintStream err = System.err;
        PrintStream out = System.out;
        System.setErr(new PrintStream(new Tee(err, logged), true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(new Tee(out, logged), true, StandardCharsets.UTF_8));
        AwsCredentials key;
        try {
            try (SqsTestServer server = SqsTestServer.start(data, AccountsIT.keyed(Optional.of(AccountsIT.clusterKey(1))))) {
                AdminApi admin = new AdminApi(server.port(), AwsCredentials.of(AccountsIT.OPS, AccountsIT.OPS_SECRET));
                String account = admin.createAccount("AtRest");
                key = admin.createKey(account);
                try (SqsClient tenant = admin.sqs(key)) {
                    AccountsIT.awaitWorking(tenant);
                    AccountsIT.sendAndReceive(tenant, "at-rest");
                }
                admin.call("POST", "/v1/admin/accounts/" + account + "/keys/" + key.accessKeyId() + "/rotate",
                        "{\"graceSeconds\":60}");
            }
        } finally {
            System.setErr(err);
            System.setOut(out);
        }
        byte[] secret = key.secretAccessKey().getBytes(StandardCharsets.UTF_8);
        byte[] secretBytes = Base64.getDecoder().decode(key.secretAccessKey());
        boolean keyIdSeen = false;
        try (Stream<Path> files = Files.walk(data)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                byte[] content = Files.readAllBytes(file);
                assertFalse(contains(content, secret), "the secret in plain text in " + file);
                assertFalse(contains(content, secretBytes), "the secret's bytes in " + file);
                keyIdSeen |= contains(content, key.accessKeyId().getBytes(StandardCharsets.UTF_8));
            }
        }
        assertTrue(keyIdSeen, "the scan reads the stored records: the key id is stored in plain text somewhere");
        assertFalse(contains(logged.toByteArray(), secret), "the secret was logged");

        IllegalStateException wrong = assertThrows(IllegalStateException.class, () -> SqsTestServer.start(data,
                AccountsIT.keyed(Optional.of(AccountsIT.clusterKey(2)))).close());
        assertTrue(wrong.getMessage().contains("wrong cluster key"), wrong.getMessage());
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> SqsTestServer.start(data,
                AccountsIT.keyed(Optional.empty())).close());
        assertTrue(missing.getMessage().contains("no cluster key"), missing.getMessage());

        try (SqsTestServer server = SqsTestServer.start(data, AccountsIT.keyed(Optional.of(AccountsIT.clusterKey(1))));
                SqsClient tenant = new AdminApi(server.port(), null).sqs(key)) {
            AccountsIT.awaitWorking(tenant);
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** Writes to the real stream and keeps a copy. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
            first.write(bytes, offset, length);
            second.write(bytes, offset, length);
        }
    }
}
