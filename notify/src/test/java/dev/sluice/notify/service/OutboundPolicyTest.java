package dev.sluice.notify.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.clientsdk.SnsException;
import dev.sluice.clientsdk.filter.CidrBlock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class OutboundPolicyTest {
    private final OutboundPolicy strict = new OutboundPolicy(List.of());

    private static byte[] address(String literal) {
        return CidrBlock.parseAddress(literal).orElseThrow();
    }

    @Test
    void privateLoopbackLinkLocalMetadataAndMappedAddressesAreRefused() {
        for (String refused : new String[] {"127.0.0.1", "10.0.0.5", "172.31.255.255", "192.168.1.1", "169.254.169.254",
                "100.64.0.1", "0.0.0.0", "224.0.0.1", "::1", "::", "fd00:ec2::254", "fe80::1", "::ffff:127.0.0.1",
                "::ffff:10.0.0.1"}) {
            assertFalse(strict.permits(address(refused)), refused);
        }
        for (String allowed : new String[] {"8.8.8.8", "93.184.216.34", "2606:4700::1111"}) {
            assertTrue(strict.permits(address(allowed)), allowed);
        }
    }

    @Test
    void allowedNetworksOverrideTheRefusal() {
        OutboundPolicy tests = new OutboundPolicy(List.of(CidrBlock.parse("127.0.0.1/32")));
        assertTrue(tests.permits(address("127.0.0.1")));
        assertFalse(tests.permits(address("127.0.0.2")));
        tests.checkLiteralHost("localhost");
        assertThrows(SnsException.class, () -> strict.checkLiteralHost("localhost"));
        assertThrows(SnsException.class, () -> strict.checkLiteralHost("[::1]"));
    }

    @Test
    void namesAreResolvedOnceAndRefusedWhenAnyAddressIsPrivate() throws Exception {
        assertThrows(OutboundPolicy.RefusedAddressException.class, () -> strict.resolve("localhost"));
        OutboundPolicy tests = new OutboundPolicy(List.of(CidrBlock.parse("127.0.0.0/8"), CidrBlock.parse("::1/128")));
        byte[] resolved = tests.resolve("localhost").getAddress();
        assertTrue(resolved.length == 4 ? resolved[0] == 127 : resolved[15] == 1);
        assertArrayEquals(address("10.9.8.7"), new OutboundPolicy(List.of(CidrBlock.parse("10.0.0.0/8")))
                .resolve("10.9.8.7").getAddress());
    }

    @Test
    void endpointsMustBeAbsoluteUrlsOfTheirProtocol() {
        OutboundPolicy.checkEndpoint("https", "https://example.com/x?y=1");
        assertThrows(SnsException.class, () -> OutboundPolicy.checkEndpoint("https", "http://example.com/"));
        assertThrows(SnsException.class, () -> OutboundPolicy.checkEndpoint("http", "/relative"));
        assertThrows(SnsException.class, () -> OutboundPolicy.checkEndpoint("http", "http://user@example.com/"));
        assertThrows(SnsException.class, () -> OutboundPolicy.checkEndpoint("http", "http://exa mple.com/"));
    }
}
