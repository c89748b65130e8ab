package dev.sluice.clientsdk.filter;

import java.math.BigInteger;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IP network written as {@code address/prefixLength}, IPv4 or IPv6, parsed from literals only (never
 * a DNS lookup). Immutable; also used to check outbound webhook addresses.
 */
public record CidrBlock(byte[] network, int prefixLength) {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    public CidrBlock {
        network = network.clone();
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    /** Parses {@code 10.0.0.0/8}, {@code 2001:db8::/32}, or a bare address (a /32 or /128). */
    public static CidrBlock parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = parseAddress(address).orElseThrow(() -> new IllegalArgumentException("not an IP address: " + address));
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in " + text);
            }
        }
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("prefix length out of 0-" + bits + " in " + text);
        }
        return new CidrBlock(bytes, prefix);
    }

    /** The block as {@code address/prefixLength}, the way {@link #parse} reads it. */
    public String toText() {
        try {
            return java.net.InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("a 4- or 16-byte address is always valid", e);
        }
    }

    /** True when the literal address lies in this network (false for anything that is not an address literal). */
    public boolean containsLiteral(String address) {
        return parseAddress(address).map(this::contains).orElse(false);
    }

    /** True when the address bytes (4 or 16) lie in this network; IPv4 never matches an IPv6 network or the reverse. */
    public boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int bits = network.length * 8;
        BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                .shiftRight(prefixLength).not();
        return new BigInteger(1, address).and(mask).equals(new BigInteger(1, network).and(mask));
    }

    /** The bytes of an IPv4 dotted quad or an IPv6 literal (with {@code ::}, optionally bracketed), from text alone. */
    public static Optional<byte[]> parseAddress(String text) {
        String literal = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        var ipv4 = IPV4.matcher(literal);
        if (ipv4.matches()) {
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                int part = Integer.parseInt(ipv4.group(i + 1));
                if (part > 255) {
                    return Optional.empty();
                }
                bytes[i] = (byte) part;
            }
            return Optional.of(bytes);
        }
        return literal.contains(":") ? parseIpv6(literal) : Optional.empty();
    }

    private static Optional<byte[]> parseIpv6(String text) {
        String literal = text;
        int lastColon = text.lastIndexOf(':');
        if (text.indexOf('.', lastColon) > 0) {
            // An embedded IPv4 tail (::ffff:10.0.0.1) is two groups written as a dotted quad.
            var ipv4 = IPV4.matcher(text.substring(lastColon + 1));
            if (!ipv4.matches()) {
                return Optional.empty();
            }
            int[] parts = new int[4];
            for (int i = 0; i < 4; i++) {
                parts[i] = Integer.parseInt(ipv4.group(i + 1));
                if (parts[i] > 255) {
                    return Optional.empty();
                }
            }
            literal = text.substring(0, lastColon + 1) + Integer.toHexString(parts[0] << 8 | parts[1]) + ":"
                    + Integer.toHexString(parts[2] << 8 | parts[3]);
        }
        int doubleColon = literal.indexOf("::");
        if (doubleColon != literal.lastIndexOf("::") && doubleColon >= 0) {
            return Optional.empty();
        }
        String[] head = doubleColon < 0 ? literal.split(":", -1) : split(literal.substring(0, doubleColon));
        String[] tail = doubleColon < 0 ? new String[0] : split(literal.substring(doubleColon + 2));
        int groups = head.length + tail.length;
        if ((doubleColon < 0 && groups != 8) || groups > 8) {
            return Optional.empty();
        }
        byte[] bytes = new byte[16];
        if (!fill(head, bytes, 0) || !fill(tail, bytes, 16 - tail.length * 2)) {
            return Optional.empty();
        }
        return Optional.of(bytes);
    }

    private static String[] split(String part) {
        return part.isEmpty() ? new String[0] : part.split(":", -1);
    }

    private static boolean fill(String[] groups, byte[] bytes, int offset) {
        for (int i = 0; i < groups.length; i++) {
            if (!groups[i].matches("[0-9A-Fa-f]{1,4}")) {
                return false;
            }
            int value = Integer.parseInt(groups[i], 16);
            bytes[offset + 2 * i] = (byte) (value >> 8);
            bytes[offset + 2 * i + 1] = (byte) value;
        }
        return true;
    }
}
