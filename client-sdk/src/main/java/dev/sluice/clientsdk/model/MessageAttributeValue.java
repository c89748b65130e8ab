package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.Objects;

/**
 * The value of a message attribute or message system attribute.
 *
 * <p>{@code dataType} is {@code String}, {@code Number} or {@code Binary}, optionally followed by a
 * custom label ({@code Number.float}). Exactly one of {@code stringValue} (String and Number types)
 * and {@code binaryValue} (Binary types; raw bytes, base64 only on the wire) is expected; the other
 * is null. SQS's {@code StringListValues}/{@code BinaryListValues} are reserved and not modelled.
 * The byte array is copied in and out, so the record stays immutable.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MessageAttributeValue(
        @JsonProperty("DataType") String dataType,
        @JsonProperty("StringValue") String stringValue,
        @JsonProperty("BinaryValue") byte[] binaryValue) {

    public MessageAttributeValue {
        binaryValue = binaryValue == null ? null : binaryValue.clone();
    }

    /** A {@code String}-typed (or custom {@code String.label}) value. */
    public static MessageAttributeValue ofString(String dataType, String value) {
        return new MessageAttributeValue(dataType, value, null);
    }

    /** A {@code Binary}-typed value. */
    public static MessageAttributeValue ofBinary(String dataType, byte[] value) {
        return new MessageAttributeValue(dataType, null, value);
    }

    @Override
    public byte[] binaryValue() {
        return binaryValue == null ? null : binaryValue.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MessageAttributeValue that
                && Objects.equals(dataType, that.dataType)
                && Objects.equals(stringValue, that.stringValue)
                && Arrays.equals(binaryValue, that.binaryValue);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dataType, stringValue, Arrays.hashCode(binaryValue));
    }

    @Override
    public String toString() {
        return "MessageAttributeValue[dataType=" + dataType + ", stringValue=" + stringValue
                + ", binaryValue=" + (binaryValue == null ? null : binaryValue.length + " bytes") + "]";
    }
}
