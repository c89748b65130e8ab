package dev.sluice.broker.codec;

import dev.sluice.clientsdk.model.MessageAttributeValue;
import dev.sluice.raftstore.codec.BinaryReader;
import dev.sluice.raftstore.codec.BinaryWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Shared encodings of the compound fields: string maps and lists, message attributes, optional ints. */
final class Fields {
    private Fields() {
    }

    static void putStringMap(BinaryWriter out, Map<String, String> map) {
        Map<String, String> sorted = new TreeMap<>(map);
        out.putInt(sorted.size());
        sorted.forEach((key, value) -> out.putString(key).putString(value));
    }

    /** The bytes {@link #putStringMap} writes for {@code map}. */
    static int stringMapBytes(Map<String, String> map) {
        int bytes = 4;
        for (Map.Entry<String, String> entry : map.entrySet()) {
            bytes += BinaryWriter.stringBytes(entry.getKey()) + BinaryWriter.stringBytes(entry.getValue());
        }
        return bytes;
    }

    static Map<String, String> getStringMap(BinaryReader in) {
        int size = in.getInt();
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            map.put(in.getString(), in.getString());
        }
        return map;
    }

    static void putStrings(BinaryWriter out, List<String> values) {
        out.putInt(values.size());
        values.forEach(out::putString);
    }

    static List<String> getStrings(BinaryReader in) {
        int size = in.getInt();
        List<String> values = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            values.add(in.getString());
        }
        return values;
    }

    static void putAttributes(BinaryWriter out, Map<String, MessageAttributeValue> attributes) {
        Map<String, MessageAttributeValue> sorted = new TreeMap<>(attributes);
        out.putInt(sorted.size());
        sorted.forEach((name, value) -> out.putString(name).putString(value.dataType())
                .putString(value.stringValue()).putBytes(value.binaryValue()));
    }

    /** The bytes {@link #putAttributes} writes for {@code attributes}. */
    static int attributesBytes(Map<String, MessageAttributeValue> attributes) {
        int bytes = 4;
        for (Map.Entry<String, MessageAttributeValue> entry : attributes.entrySet()) {
            MessageAttributeValue value = entry.getValue();
            bytes += BinaryWriter.stringBytes(entry.getKey()) + BinaryWriter.stringBytes(value.dataType())
                    + BinaryWriter.stringBytes(value.stringValue()) + BinaryWriter.bytesBytes(value.binaryValue());
        }
        return bytes;
    }

    static Map<String, MessageAttributeValue> getAttributes(BinaryReader in) {
        int size = in.getInt();
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            attributes.put(in.getString(), new MessageAttributeValue(in.getString(), in.getString(), in.getBytes()));
        }
        return attributes;
    }

    /** -1 stands for null; the values encoded this way are never negative. */
    static void putOptionalInt(BinaryWriter out, Integer value) {
        out.putInt(value == null ? -1 : value);
    }

    static Integer getOptionalInt(BinaryReader in) {
        int value = in.getInt();
        return value < 0 ? null : value;
    }
}
