package dev.sluice.notify.core;

import dev.sluice.raftstore.codec.BinaryReader;
import dev.sluice.raftstore.codec.BinaryWriter;
import java.util.Map;
import java.util.TreeMap;

/**
 * Topics and subscriptions as catalog values: {@code [formatVersion][fields]}, big-endian, length-prefixed
 * strings, maps as a count and sorted pairs. A version this code does not know is refused, not guessed.
 */
public final class CatalogRecordCodec {
    private static final int TOPIC_VERSION = 1;
    /** Version 1: a subscription its topic's account owns. */
    private static final int SUBSCRIPTION_VERSION = 1;
    /** Version 2: version 1's fields, then the subscribing account (a Subscribe across accounts). */
    private static final int OWNED_SUBSCRIPTION_VERSION = 2;

    private CatalogRecordCodec() {
    }

    public static byte[] encode(Topic topic) {
        BinaryWriter out = new BinaryWriter().putByte(TOPIC_VERSION).putString(topic.name()).putString(topic.id());
        putMap(out, topic.attributes());
        putMap(out, topic.tags());
        return out.toByteArray();
    }

    public static Topic decodeTopic(byte[] bytes) {
        BinaryReader in = new BinaryReader(bytes);
        checkVersion(in.getByte(), TOPIC_VERSION, "topic");
        return new Topic(in.getString(), in.getString(), getMap(in), getMap(in));
    }

    public static byte[] encode(Subscription subscription) {
        // Version 1 whenever it says it all, so that a node of the version before accounts reads every record
        // except those of subscriptions across accounts.
        int version = subscription.owner() == null ? SUBSCRIPTION_VERSION : OWNED_SUBSCRIPTION_VERSION;
        BinaryWriter out = new BinaryWriter().putByte(version).putString(subscription.id())
                .putString(subscription.topicName()).putString(subscription.protocol()).putString(subscription.endpoint());
        putMap(out, subscription.attributes());
        out.putBoolean(subscription.confirmed()).putString(subscription.token()).putString(subscription.webhookSecret());
        if (version == OWNED_SUBSCRIPTION_VERSION) {
            out.putString(subscription.owner());
        }
        return out.toByteArray();
    }

    public static Subscription decodeSubscription(byte[] bytes) {
        BinaryReader in = new BinaryReader(bytes);
        int version = in.getByte();
        if (version != OWNED_SUBSCRIPTION_VERSION) {
            checkVersion(version, SUBSCRIPTION_VERSION, "subscription");
        }
        return new Subscription(in.getString(), in.getString(), in.getString(), in.getString(), getMap(in),
                in.getBoolean(), in.getString(), in.getString(),
                version == OWNED_SUBSCRIPTION_VERSION ? in.getString() : null);
    }

    private static void putMap(BinaryWriter out, Map<String, String> map) {
        Map<String, String> sorted = new TreeMap<>(map);
        out.putInt(sorted.size());
        sorted.forEach((key, value) -> out.putString(key).putString(value));
    }

    private static Map<String, String> getMap(BinaryReader in) {
        int count = in.getInt();
        Map<String, String> map = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            map.put(in.getString(), in.getString());
        }
        return map;
    }

    private static void checkVersion(int version, int known, String what) {
        if (version != known) {
            throw new IllegalStateException("unknown " + what + " record format " + version + "; this node knows " + known);
        }
    }
}
