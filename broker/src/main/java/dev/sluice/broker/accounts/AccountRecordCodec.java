package dev.sluice.broker.accounts;

import dev.sluice.raftstore.codec.BinaryReader;
import dev.sluice.raftstore.codec.BinaryWriter;
import dev.sluice.raftstore.codec.CorruptFrameException;
import java.util.ArrayList;
import java.util.List;

/**
 * Accounts and keys as catalog values: {@code [formatVersion][fields]}, big-endian, length-prefixed strings and
 * bytes; enum states as a byte code (an append-only registry, like command types). A version or code this node does
 * not know is corruption, never a guess. Golden bytes in {@code AccountRecordGoldenTest} hold the format still.
 *
 * <p>Account formats: 1 = id, name, state, created; 2 = those plus the quotas as a count and {@code [code][value]}
 * pairs (codes from {@link AccountQuotas.Quota}'s registry). A format-1 record (stored before quotas existed) reads
 * with {@link AccountQuotas#NEW_ACCOUNT}; a format-2 record that leaves a quota out reads it at that default too, so
 * a quota added later needs no new format. Quotas added after the first format-2 release
 * ({@link AccountQuotas.Quota#omittedWhenUnlimited}, new accounts get no limit there) are written only when set: an older
 * node refuses a code it does not know, so only an account an operator gave such a quota is unreadable to it (set them
 * once every node runs this release).
 */
public final class AccountRecordCodec {
    private static final int ACCOUNT_VERSION_WITHOUT_QUOTAS = 1;
    private static final int ACCOUNT_VERSION = 2;
    private static final int KEY_VERSION = 1;
    /** State codes; never renumber. */
    private static final int OPEN = 1;
    private static final int CLOSED = 2;
    private static final int ACTIVE = 1;
    private static final int DISABLED = 2;

    private AccountRecordCodec() {
    }

    /**
     * The account in the format a cluster at {@code featureLevel} can read: format 2 from level 2
     * ({@code FeatureLevel.USAGE_AND_QUOTAS}); below, format 1, which holds no quotas, so only an account whose quotas
     * are the new-account defaults (format 1 reads as those) can be written: empty for any other.
     */
    public static java.util.Optional<byte[]> encode(Account account, int featureLevel) {
        if (featureLevel >= dev.sluice.raftstore.FeatureLevel.USAGE_AND_QUOTAS) {
            return java.util.Optional.of(encode(account));
        }
        if (!account.quotas().equals(AccountQuotas.NEW_ACCOUNT)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new BinaryWriter().putByte(ACCOUNT_VERSION_WITHOUT_QUOTAS).putString(account.id())
                .putString(account.name()).putByte(account.open() ? OPEN : CLOSED).putLong(account.createdMillis())
                .toByteArray());
    }

    /** The account in the current format (2, with its quotas). */
    public static byte[] encode(Account account) {
        List<AccountQuotas.Quota> written = new ArrayList<>();
        for (AccountQuotas.Quota quota : AccountQuotas.Quota.values()) {
            if (!quota.omittedWhenUnlimited() || account.quotas().get(quota) != AccountQuotas.UNLIMITED) {
                written.add(quota);
            }
        }
        BinaryWriter out = new BinaryWriter().putByte(ACCOUNT_VERSION).putString(account.id()).putString(account.name())
                .putByte(account.open() ? OPEN : CLOSED).putLong(account.createdMillis()).putInt(written.size());
        for (AccountQuotas.Quota quota : written) {
            out.putInt(quota.code()).putLong(account.quotas().get(quota));
        }
        return out.toByteArray();
    }

    public static Account decodeAccount(byte[] bytes) {
        BinaryReader in = new BinaryReader(bytes);
        int version = in.getByte();
        if (version != ACCOUNT_VERSION_WITHOUT_QUOTAS) {
            checkVersion(version, ACCOUNT_VERSION, "account");
        }
        String id = in.getString();
        String name = in.getString();
        int state = in.getByte();
        Account.State decoded = switch (state) {
            case OPEN -> Account.State.OPEN;
            case CLOSED -> Account.State.CLOSED;
            default -> throw new CorruptFrameException("unknown account state " + state);
        };
        long created = in.getLong();
        AccountQuotas quotas = version == ACCOUNT_VERSION_WITHOUT_QUOTAS ? AccountQuotas.NEW_ACCOUNT : decodeQuotas(in, id);
        return new Account(id, name, decoded, created, quotas);
    }

    private static AccountQuotas decodeQuotas(BinaryReader in, String accountId) {
        int count = in.getInt();
        if (count < 0 || count > AccountQuotas.Quota.values().length) {
            throw new CorruptFrameException("account " + accountId + " lists " + count + " quotas");
        }
        java.util.EnumMap<AccountQuotas.Quota, Long> values = new java.util.EnumMap<>(AccountQuotas.Quota.class);
        for (int i = 0; i < count; i++) {
            int code = in.getInt();
            AccountQuotas.Quota quota = AccountQuotas.Quota.ofCode(code);
            if (quota == null) {
                throw new CorruptFrameException("unknown quota code " + code + " in account " + accountId);
            }
            long value = in.getLong();
            if (value < 0 || value > quota.maximum() || values.put(quota, value) != null) {
                throw new CorruptFrameException("account " + accountId + " has quota " + quota.field() + " = " + value
                        + " (or twice)");
            }
        }
        return AccountQuotas.NEW_ACCOUNT.with(values);
    }

    public static byte[] encode(AccountKey key) {
        BinaryWriter out = new BinaryWriter().putByte(KEY_VERSION).putString(key.accessKeyId()).putString(key.accountId())
                .putByte(key.state() == AccountKey.State.ACTIVE ? ACTIVE : DISABLED)
                .putString(key.secret().clusterKeyId()).putBytes(key.secret().nonce()).putBytes(key.secret().ciphertext())
                .putInt(key.policies().size());
        key.policies().forEach(out::putString);
        return out.putLong(key.createdMillis()).putLong(key.rotatedMillis()).putLong(key.disableAtMillis()).toByteArray();
    }

    public static AccountKey decodeKey(byte[] bytes) {
        BinaryReader in = new BinaryReader(bytes);
        checkVersion(in.getByte(), KEY_VERSION, "access key");
        String id = in.getString();
        String accountId = in.getString();
        int state = in.getByte();
        AccountKey.State decoded = switch (state) {
            case ACTIVE -> AccountKey.State.ACTIVE;
            case DISABLED -> AccountKey.State.DISABLED;
            default -> throw new CorruptFrameException("unknown access key state " + state);
        };
        SealedSecret secret = new SealedSecret(in.getString(), in.getBytes(), in.getBytes());
        int count = in.getInt();
        if (count < 0 || count > AccountKey.MANAGED_POLICIES.size()) {
            throw new CorruptFrameException("access key " + id + " lists " + count + " policies");
        }
        List<String> policies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            policies.add(in.getString());
        }
        return new AccountKey(id, accountId, decoded, secret, policies, in.getLong(), in.getLong(), in.getLong());
    }

    private static void checkVersion(int version, int known, String what) {
        if (version != known) {
            throw new CorruptFrameException("unknown " + what + " record format " + version + "; this node knows " + known);
        }
    }
}
