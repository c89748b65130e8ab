package dev.sluice.broker.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.config.ClusterKey;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SecretSealTest {
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    private static ClusterKey key(int fill) {
        byte[] bytes = new byte[32];
        java.util.Arrays.fill(bytes, (byte) fill);
        return ClusterKey.parse(Base64.getEncoder().encodeToString(bytes));
    }

    @Test
    void aSealedSecretOpensUnderTheSameClusterKeyAndHoldsNoPlainText() {
        SecretSeal seal = new SecretSeal(key(1), new SecureRandom());
        SealedSecret sealed = seal.seal("AKIAAAAAAAAAAAAAAAAA", SECRET);
        assertEquals(SECRET, seal.open("AKIAAAAAAAAAAAAAAAAA", sealed));
        assertEquals(key(1).id(), sealed.clusterKeyId());
        String stored = new String(AccountRecordCodec.encode(new AccountKey("AKIAAAAAAAAAAAAAAAAA", "111122223333",
                AccountKey.State.ACTIVE, sealed, java.util.List.of(), 1, 0, 0)), StandardCharsets.ISO_8859_1);
        assertFalse(stored.contains(SECRET));
        assertFalse(sealed.toString().contains(HexFormat.of().formatHex(sealed.ciphertext())));
        assertNotEquals(HexFormat.of().formatHex(sealed.nonce()),
                HexFormat.of().formatHex(seal.seal("AKIAAAAAAAAAAAAAAAAA", SECRET).nonce()), "a fresh nonce per sealing");
    }

    @Test
    void anotherClusterKeyIsDetectedNotDecryptedToGarbage() {
        SealedSecret sealed = new SecretSeal(key(1), new SecureRandom()).seal("AKIAAAAAAAAAAAAAAAAA", SECRET);
        SecretSeal other = new SecretSeal(key(2), new SecureRandom());
        SecretSeal.WrongClusterKeyException refused = assertThrows(SecretSeal.WrongClusterKeyException.class,
                () -> other.open("AKIAAAAAAAAAAAAAAAAA", sealed));
        assertTrue(refused.getMessage().contains(key(1).id()) && refused.getMessage().contains(key(2).id()),
                refused.getMessage());
        // Same key id but other bytes (a forged id): GCM's tag still refuses it.
        SealedSecret forged = new SealedSecret(key(2).id(), sealed.nonce(), sealed.ciphertext());
        assertThrows(SecretSeal.WrongClusterKeyException.class, () -> other.open("AKIAAAAAAAAAAAAAAAAA", forged));
    }

    @Test
    void aSealedSecretCopiedOntoAnotherKeyDoesNotOpen() {
        SecretSeal seal = new SecretSeal(key(1), new SecureRandom());
        SealedSecret sealed = seal.seal("AKIAAAAAAAAAAAAAAAAA", SECRET);
        assertThrows(SecretSeal.WrongClusterKeyException.class, () -> seal.open("AKIABBBBBBBBBBBBBBBB", sealed));
    }

    @Test
    void aClusterKeyMustBe32BytesOfBase64AndIsNeverShown() {
        assertThrows(IllegalArgumentException.class, () -> ClusterKey.parse(Base64.getEncoder().encodeToString(new byte[16])));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> ClusterKey.parse("not base64!!"));
        assertFalse(bad.getMessage().contains("not base64!!"));
        String text = Base64.getEncoder().encodeToString(new byte[32]);
        assertFalse(ClusterKey.parse(text).toString().contains(text));
    }
}
