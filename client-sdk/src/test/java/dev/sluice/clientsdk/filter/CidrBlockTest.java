package dev.sluice.clientsdk.filter;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class CidrBlockTest {

    @Test
    void ipv4AndIpv6NetworksContainTheirAddressesOnly() {
        assertTrue(CidrBlock.parse("169.254.0.0/16").containsLiteral("169.254.169.254"));
        assertFalse(CidrBlock.parse("169.254.0.0/16").containsLiteral("169.255.0.1"));
        assertTrue(CidrBlock.parse("127.0.0.1").containsLiteral("127.0.0.1"));
        assertFalse(CidrBlock.parse("127.0.0.1").containsLiteral("127.0.0.2"));
        assertTrue(CidrBlock.parse("0.0.0.0/0").containsLiteral("8.8.8.8"));
        assertTrue(CidrBlock.parse("fc00::/7").containsLiteral("[fd00:ec2::254]"));
        assertTrue(CidrBlock.parse("::1/128").containsLiteral("0:0:0:0:0:0:0:1"));
        assertFalse(CidrBlock.parse("::/0").containsLiteral("10.0.0.1"));
        assertTrue(CidrBlock.parse("::ffff:0:0/96").containsLiteral("::ffff:10.0.0.1"));
        assertFalse(CidrBlock.parse("::ffff:0:0/96").containsLiteral("::ffff:10.0.0.300"));
    }

    @Test
    void malformedBlocksAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> CidrBlock.parse("300.0.0.1/8"));
        assertThrows(IllegalArgumentException.class, () -> CidrBlock.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> CidrBlock.parse("1::2::3"));
        assertThrows(IllegalArgumentException.class, () -> CidrBlock.parse("example.com/8"));
    }
}
