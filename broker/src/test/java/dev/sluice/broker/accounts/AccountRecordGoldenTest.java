package dev.sluice.broker.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.raftstore.codec.CorruptFrameException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The catalog's account and key records may only grow: every replica and snapshot reads them, so their bytes are held
 * still by files under src/test/resources/golden/records ({@code -Dgolden.write=true} writes them).
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class AccountRecordGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/records");

    private static final Account ACCOUNT = new Account("111122223333", "Acme Corp", Account.State.CLOSED, 1_700_000_000_000L);
    private static final Account ACCOUNT_WITH_QUOTAS = ACCOUNT.withQuotas(AccountQuotas.NEW_ACCOUNT.with(java.util.Map.of(
            AccountQuotas.Quota.SQS_SEND_PER_SECOND, 5L, AccountQuotas.Quota.QUEUES, 2L,
            AccountQuotas.Quota.SNS_OTHER_PER_SECOND, AccountQuotas.UNLIMITED)));
    private static final AccountKey KEY = new AccountKey("AKIAABCDEFGHIJKLMN23", "111122223333", AccountKey.State.ACTIVE,
            new SealedSecret("0123456789abcdef", new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, new byte[] {42, 43, 44}),
            List.of("Produce", "Consume"), 1_700_000_000_000L, 1_700_000_100_000L, 1_700_000_200_000L);

    private static byte[] golden(String name, byte[] encoded) throws IOException {
        Path file = GOLDEN.resolve(name + ".hex");
        if (Boolean.getBoolean("golden.write")) {
            Files.writeString(file, HexFormat.of().formatHex(encoded) + "\n");
        }
        byte[] golden = HexFormat.of().parseHex(Files.readString(file, StandardCharsets.US_ASCII).trim());
        assertEquals(HexFormat.of().formatHex(golden), HexFormat.of().formatHex(encoded), name);
        return golden;
    }

    @Test
    void anAccountStoredInTheFirstFormatReadsWithTheNewAccountQuotas() throws IOException {
        byte[] first = HexFormat.of().parseHex(Files.readString(GOLDEN.resolve("account.hex"), StandardCharsets.US_ASCII).trim());
        Account decoded = AccountRecordCodec.decodeAccount(first);
        assertEquals(ACCOUNT, decoded);
        assertEquals(AccountQuotas.NEW_ACCOUNT, decoded.quotas());
    }

    @Test
    void belowFeatureLevelTwoAnAccountWithDefaultQuotasIsWrittenInTheFirstFormatAndOneWithOthersCannotBe() throws IOException {
        Account defaults = ACCOUNT.withQuotas(AccountQuotas.NEW_ACCOUNT);
        byte[] first = HexFormat.of().parseHex(Files.readString(GOLDEN.resolve("account.hex"), StandardCharsets.US_ASCII).trim());
        assertEquals(HexFormat.of().formatHex(first), HexFormat.of().formatHex(AccountRecordCodec.encode(defaults, 1).orElseThrow()));
        assertEquals(java.util.Optional.empty(), AccountRecordCodec.encode(ACCOUNT_WITH_QUOTAS, 1));
        assertEquals(HexFormat.of().formatHex(AccountRecordCodec.encode(ACCOUNT_WITH_QUOTAS)),
                HexFormat.of().formatHex(AccountRecordCodec.encode(ACCOUNT_WITH_QUOTAS, 2).orElseThrow()));
    }

    @Test
    void anAccountIsStoredWithItsQuotasInTheSecondFormatByteForByte() throws IOException {
        assertEquals(ACCOUNT_WITH_QUOTAS, AccountRecordCodec.decodeAccount(golden("account-v2",
                AccountRecordCodec.encode(ACCOUNT_WITH_QUOTAS))));
    }

    @Test
    void aSecondFormatRecordThatLeavesAQuotaOutReadsItAtTheNewAccountDefault() {
        byte[] full = AccountRecordCodec.encode(ACCOUNT_WITH_QUOTAS);
        // Drop the last (code, value) pair and say one quota fewer: as a node of an older release would have written.
        int pairs = WRITTEN_WHEN_UNLIMITED;
        byte[] shorter = java.util.Arrays.copyOf(full, full.length - 12);
        int countAt = full.length - 4 - pairs * 12;
        java.nio.ByteBuffer.wrap(shorter).putInt(countAt, pairs - 1);
        Account decoded = AccountRecordCodec.decodeAccount(shorter);
        AccountQuotas.Quota last = AccountQuotas.Quota.EVENT_SOURCE_MAPPINGS;
        assertEquals(AccountQuotas.NEW_ACCOUNT.get(last), decoded.quotas().get(last));
        assertEquals(5L, decoded.quotas().get(AccountQuotas.Quota.SQS_SEND_PER_SECOND));
    }

    /** Quotas every format-2 record carries: those of the first format-2 release. */
    private static final int WRITTEN_WHEN_UNLIMITED = (int) java.util.Arrays.stream(AccountQuotas.Quota.values())
            .filter(quota -> !quota.omittedWhenUnlimited()).count();

    @Test
    void quotasAddedLaterAreWrittenOnlyWhenSetSoOlderNodesReadEveryOtherAccount() {
        // Unset, the record is byte for byte what the first format-2 release wrote (the golden bytes above).
        assertEquals(10, WRITTEN_WHEN_UNLIMITED);
        Account limited = ACCOUNT_WITH_QUOTAS.withQuotas(ACCOUNT_WITH_QUOTAS.quotas().with(java.util.Map.of(
                AccountQuotas.Quota.STORED_BYTES, 1_500L, AccountQuotas.Quota.IN_FLIGHT_MESSAGES, 2L)));
        byte[] written = AccountRecordCodec.encode(limited);
        assertEquals(AccountRecordCodec.encode(ACCOUNT_WITH_QUOTAS).length + 2 * 12, written.length);
        assertEquals(limited, AccountRecordCodec.decodeAccount(written));
        assertEquals(AccountQuotas.UNLIMITED, AccountRecordCodec.decodeAccount(AccountRecordCodec.encode(ACCOUNT_WITH_QUOTAS))
                .quotas().get(AccountQuotas.Quota.STORED_BYTES));
    }

    @Test
    void aKeyIsStoredInItsFirstFormatByteForByteWithItsPoliciesSorted() throws IOException {
        AccountKey decoded = AccountRecordCodec.decodeKey(golden("access-key", AccountRecordCodec.encode(KEY)));
        assertEquals(KEY, decoded);
        assertEquals(List.of("Consume", "Produce"), decoded.policies());
    }

    @Test
    void anUnknownFormatOrStateIsCorruptionNotAGuess() {
        byte[] account = AccountRecordCodec.encode(ACCOUNT);
        account[0] = 3;
        assertThrows(CorruptFrameException.class, () -> AccountRecordCodec.decodeAccount(account));
        byte[] state = AccountRecordCodec.encode(ACCOUNT);
        state[state.length - 4 - WRITTEN_WHEN_UNLIMITED * 12 - 9] = 7;
        assertThrows(CorruptFrameException.class, () -> AccountRecordCodec.decodeAccount(state));
        byte[] quotaCode = AccountRecordCodec.encode(ACCOUNT);
        quotaCode[quotaCode.length - 9] = 99;
        assertThrows(CorruptFrameException.class, () -> AccountRecordCodec.decodeAccount(quotaCode));
        byte[] key = AccountRecordCodec.encode(KEY);
        key[0] = 9;
        assertThrows(CorruptFrameException.class, () -> AccountRecordCodec.decodeKey(key));
    }
}
