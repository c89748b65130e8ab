package dev.sluice.notify.service;

import dev.sluice.clientsdk.SnsError;
import dev.sluice.clientsdk.filter.CidrBlock;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which webhook targets notify may call: never loopback, private, carrier-grade NAT, link-local (cloud
 * metadata at 169.254.169.254 included), unique-local (fd00:ec2::254 included), multicast or unspecified
 * addresses, unless the operator allowed their network. The name is resolved once per delivery and the
 * request goes to that address, so a second lookup cannot swap in another one. Thread-safe.
 */
public final class OutboundPolicy {
    private static final List<CidrBlock> REFUSED = List.of(CidrBlock.parse("0.0.0.0/8"), CidrBlock.parse("10.0.0.0/8"),
            CidrBlock.parse("100.64.0.0/10"), CidrBlock.parse("127.0.0.0/8"), CidrBlock.parse("169.254.0.0/16"),
            CidrBlock.parse("172.16.0.0/12"), CidrBlock.parse("192.0.0.0/24"), CidrBlock.parse("192.168.0.0/16"),
            CidrBlock.parse("198.18.0.0/15"), CidrBlock.parse("224.0.0.0/3"), CidrBlock.parse("::/128"),
            CidrBlock.parse("::1/128"), CidrBlock.parse("fc00::/7"), CidrBlock.parse("fe80::/10"),
            CidrBlock.parse("ff00::/8"));

    private final List<CidrBlock> allowed;

    public OutboundPolicy(List<CidrBlock> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    /** Checks an endpoint's form for its protocol; InvalidParameter when it is not an absolute URL of that scheme. */
    static URI checkEndpoint(String protocol, String endpoint) {
        try {
            URI uri = new URI(endpoint);
            if (!protocol.equals(uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT))
                    || uri.getHost() == null || uri.getHost().isEmpty() || uri.getRawUserInfo() != null) {
                throw SnsError.invalidParameter("Endpoint Reason: must be an absolute " + protocol + " URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw SnsError.invalidParameter("Endpoint Reason: not a URL");
        }
    }

    /**
     * Refuses, without a DNS lookup, a host that is itself a refused address literal or {@code localhost}:
     * what Subscribe can tell at once. Names are checked again, resolved, at each delivery.
     */
    void checkLiteralHost(String host) {
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (bare.equalsIgnoreCase("localhost") || bare.toLowerCase(Locale.ROOT).endsWith(".localhost")) {
            if (!permits(new byte[] {127, 0, 0, 1})) {
                throw refused(host);
            }
            return;
        }
        Optional<byte[]> literal = CidrBlock.parseAddress(bare);
        if (literal.isPresent() && !permits(literal.get())) {
            throw refused(host);
        }
    }

    /** True when the address may be called: not refused, or inside an allowed network. */
    boolean permits(byte[] address) {
        for (CidrBlock block : allowed) {
            if (block.contains(address)) {
                return true;
            }
        }
        byte[] checked = ipv4Mapped(address).orElse(address);
        for (CidrBlock block : REFUSED) {
            if (block.contains(checked)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Resolves the host once (blocking: call on a worker thread) and returns the address to connect to;
     * fails when any of its addresses is refused, so DNS answers cannot mix a public and a private one.
     */
    InetAddress resolve(String host) throws UnknownHostException {
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses = InetAddress.getAllByName(bare);
        for (InetAddress address : addresses) {
            if (!permits(address.getAddress())) {
                throw new RefusedAddressException(host + " resolves to " + address.getHostAddress()
                        + ", a loopback, private, link-local or metadata address that is not allowed");
            }
        }
        return addresses[0];
    }

    private static Optional<byte[]> ipv4Mapped(byte[] address) {
        if (address.length != 16) {
            return Optional.empty();
        }
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return Optional.empty();
            }
        }
        if (address[10] != (byte) 0xFF || address[11] != (byte) 0xFF) {
            return Optional.empty();
        }
        return Optional.of(new byte[] {address[12], address[13], address[14], address[15]});
    }

    private static RuntimeException refused(String host) {
        return SnsError.invalidParameter("Endpoint Reason: " + host
                + " is a loopback, private, link-local or metadata address that is not allowed");
    }

    /** A webhook target refused by this policy. */
    static final class RefusedAddressException extends UnknownHostException {
        RefusedAddressException(String message) {
            super(message);
        }
    }
}
