package dev.sluice.broker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PeerKeyTest {
    private static final SluiceConfig.AccessKey TENANT = new SluiceConfig.AccessKey("AKIDTENANT", "tenant-secret-1");
    private static final SluiceConfig.AccessKey OTHER = new SluiceConfig.AccessKey("AKIDOTHER", "other-secret-1",
            false, "111111111111");

    @Test
    void everyNodeWithTheSameConfigurationDerivesTheSameOperatorKeyWhateverTheOrderOfItsKeys() {
        SluiceConfig.AccessKey one = PeerKey.derive(new SluiceConfig.Auth(List.of(TENANT, OTHER))).orElseThrow();
        SluiceConfig.AccessKey two = PeerKey.derive(new SluiceConfig.Auth(List.of(OTHER, TENANT))).orElseThrow();
        assertEquals(one, two);
        assertTrue(one.admin(), "the nodes read every account's share: an operator's right");
        assertEquals(SluiceConfig.AccessKey.DEFAULT_ACCOUNT, one.accountId());
        assertTrue(one.accessKeyId().startsWith("SLUICEPEER"), one.accessKeyId());
        assertFalse(one.secretAccessKey().contains(TENANT.secretAccessKey()));
    }

    @Test
    void aTenantWhoKnowsOnlyItsOwnSecretCannotDeriveIt() {
        SluiceConfig.AccessKey real = PeerKey.derive(new SluiceConfig.Auth(List.of(TENANT, OTHER))).orElseThrow();
        SluiceConfig.AccessKey guessed = PeerKey.derive(new SluiceConfig.Auth(List.of(TENANT,
                new SluiceConfig.AccessKey("AKIDOTHER", "guessed-secret", false, "111111111111")))).orElseThrow();
        assertNotEquals(real.secretAccessKey(), guessed.secretAccessKey());
        assertNotEquals(real.accessKeyId(), guessed.accessKeyId());
    }

    @Test
    void theClusterKeyIsPartOfItAndAuthOffHasNone() {
        byte[] bytes = new byte[ClusterKey.BYTES];
        ClusterKey clusterKey = ClusterKey.parse(Base64.getEncoder().encodeToString(bytes));
        assertNotEquals(PeerKey.derive(new SluiceConfig.Auth(List.of(TENANT))),
                PeerKey.derive(new SluiceConfig.Auth(List.of(TENANT), Optional.of(clusterKey))));
        assertEquals(Optional.empty(), PeerKey.derive(SluiceConfig.Auth.defaults()));
    }
}
