package dev.sluice.broker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The {@code account=<12 digits>/} prefix of an access key entry names the key's account. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class AccessKeyAccountTest {

    @Test
    void anEntryWithoutAnAccountBelongsToTheDefaultAccount() {
        List<SluiceConfig.AccessKey> keys = SluiceConfig.AccessKey.parseList("AKIDA:secretAA,admin=AKIDOPS:secretOPS");
        assertEquals("000000000000", keys.get(0).accountId());
        assertEquals("000000000000", keys.get(1).accountId());
        assertTrue(keys.get(1).admin());
    }

    @Test
    void anAccountPrefixNamesTheKeysAccount() {
        SluiceConfig.AccessKey key = SluiceConfig.AccessKey.parseList("account=111111111111/AKIDB:secretBB").get(0);
        assertEquals(new SluiceConfig.AccessKey("AKIDB", "secretBB", false, "111111111111"), key);
        assertFalse(key.admin());
        assertEquals("account=111111111111/AKIDB:****", key.toString());
    }

    @Test
    void anAccountThatIsNotTwelveDigitsIsRefusedWithoutShowingTheSecret() {
        var refused = assertThrows(IllegalArgumentException.class,
                () -> SluiceConfig.AccessKey.parseList("account=1234/AKIDB:secretBB"));
        assertFalse(refused.getMessage().contains("secretBB"), refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SluiceConfig.AccessKey.parseList("account=111111111111AKIDB:secretBB"));
    }

    @Test
    void anAdminKeyOfAnotherAccountIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> SluiceConfig.AccessKey.parseList("account=111111111111/admin=AKIDB:secretBB"));
    }
}
