package dev.sluice.faasbridge.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class AccountScopeTest {
    private static final String DEFAULT = "000000000000";
    private static final String OTHER = "111111111111";

    @Test
    void theDefaultAccountsFunctionsKeepTheirBareNamesAndAnotherAccountsCarryTheAccount() {
        assertEquals("orders", AccountScope.only(DEFAULT).qualify("orders"));
        AccountScope other = new AccountScope(OTHER, DEFAULT, false);
        assertEquals(OTHER + "/orders", other.qualify("orders"));
        assertEquals(OTHER, other.accountOf(OTHER + "/orders"));
        assertEquals(DEFAULT, other.accountOf("orders"));
        assertEquals("orders", AccountScope.bare(OTHER + "/orders"));
    }

    @Test
    void aScopeSeesItsOwnAccountOnlyUnlessItListsEveryAccount() {
        AccountScope other = new AccountScope(OTHER, DEFAULT, false);
        assertTrue(other.sees(OTHER + "/orders"));
        assertFalse(other.sees("orders"));
        assertFalse(AccountScope.only(DEFAULT).sees(OTHER + "/orders"));
        assertTrue(new AccountScope(DEFAULT, DEFAULT, true).sees(OTHER + "/orders"));
        assertFalse(other.owns(QueueArn.parse("arn:aws:sqs:us-east-1:" + DEFAULT + ":q")));
        assertTrue(other.owns(QueueArn.parse("arn:aws:sqs:us-east-1:" + OTHER + ":q")));
    }

    @Test
    void aStoredFunctionMayCarryItsAccountButANameGivenInARequestMayNot() {
        FunctionDefinition stored = new FunctionDefinition(OTHER + "/orders", "http://127.0.0.1:9/", null, 3, null, 0);
        assertEquals("orders", AccountScope.bare(stored.name()));
        assertThrows(BridgeException.class, () -> FunctionDefinition.checkName(OTHER + "/orders"));
        assertThrows(BridgeException.class, () -> new FunctionDefinition("12/orders", "http://127.0.0.1:9/", null, 3, null, 0));
    }
}
