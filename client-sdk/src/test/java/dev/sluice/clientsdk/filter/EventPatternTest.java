package dev.sluice.clientsdk.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class EventPatternTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static boolean matches(String pattern, String event) {
        return EventPattern.compile(tree(pattern)).matches(tree(event));
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    @Test
    void exactValuesMatchSameTypeOnlyAndArraysMatchAnyElement() {
        assertTrue(matches("{'store':['a','b']}", "{'store':'b'}"));
        assertFalse(matches("{'store':['a']}", "{'store':'A'}"));
        assertTrue(matches("{'price':[100]}", "{'price':100.0}"));
        assertFalse(matches("{'price':[100]}", "{'price':'100'}"));
        assertTrue(matches("{'tags':['x']}", "{'tags':['w','x']}"));
        assertTrue(matches("{'flag':[true],'none':[null]}", "{'flag':true,'none':null}"));
        assertFalse(matches("{'store':['a']}", "{}"));
    }

    @Test
    void everyFieldMustMatch() {
        assertTrue(matches("{'a':['1'],'b':['2']}", "{'a':'1','b':'2'}"));
        assertFalse(matches("{'a':['1'],'b':['2']}", "{'a':'1','b':'3'}"));
    }

    @Test
    void prefixSuffixAndEqualsIgnoreCase() {
        assertTrue(matches("{'r':[{'prefix':'us-'}]}", "{'r':'us-east-1'}"));
        assertFalse(matches("{'r':[{'prefix':'us-'}]}", "{'r':'eu-west-1'}"));
        assertTrue(matches("{'f':[{'suffix':'.png'}]}", "{'f':'cat.png'}"));
        assertFalse(matches("{'f':[{'suffix':'.png'}]}", "{'f':'png'}"));
        assertTrue(matches("{'f':[{'suffix':{'equals-ignore-case':'.PNG'}}]}", "{'f':'cat.png'}"));
        assertTrue(matches("{'r':[{'prefix':{'equals-ignore-case':'US-'}}]}", "{'r':'us-east-1'}"));
        assertTrue(matches("{'n':[{'equals-ignore-case':'ALERT'}]}", "{'n':'Alert'}"));
        assertFalse(matches("{'n':[{'equals-ignore-case':'ALERT'}]}", "{'n':'Alerts'}"));
    }

    @Test
    void anythingButExcludesValuesAndPrefixesButNeedsThePresence() {
        assertTrue(matches("{'s':[{'anything-but':['a','b']}]}", "{'s':'c'}"));
        assertFalse(matches("{'s':[{'anything-but':['a','b']}]}", "{'s':'a'}"));
        assertFalse(matches("{'s':[{'anything-but':'a'}]}", "{}"));
        assertTrue(matches("{'n':[{'anything-but':[100]}]}", "{'n':101}"));
        assertFalse(matches("{'n':[{'anything-but':100}]}", "{'n':100}"));
        assertFalse(matches("{'s':[{'anything-but':{'prefix':'int-'}}]}", "{'s':'int-x'}"));
        assertTrue(matches("{'s':[{'anything-but':{'suffix':'.tmp'}}]}", "{'s':'a.txt'}"));
        assertFalse(matches("{'s':[{'anything-but':{'equals-ignore-case':['X','Y']}}]}", "{'s':'y'}"));
    }

    @Test
    void numericComparisonsAndRanges() {
        assertTrue(matches("{'p':[{'numeric':['=',301.5]}]}", "{'p':301.50}"));
        assertTrue(matches("{'p':[{'numeric':['>',0,'<=',5]}]}", "{'p':5}"));
        assertFalse(matches("{'p':[{'numeric':['>',0,'<=',5]}]}", "{'p':0}"));
        assertFalse(matches("{'p':[{'numeric':['>',0,'<',5]}]}", "{'p':5}"));
        assertTrue(matches("{'p':[{'numeric':['>=',10]}]}", "{'p':10}"));
        assertTrue(matches("{'p':[{'numeric':['<',10]}]}", "{'p':-3}"));
        assertFalse(matches("{'p':[{'numeric':['<',10]}]}", "{'p':'3'}"));
    }

    @Test
    void existsMatchesPresenceOrAbsence() {
        assertTrue(matches("{'k':[{'exists':true}]}", "{'k':'anything'}"));
        assertFalse(matches("{'k':[{'exists':true}]}", "{}"));
        assertTrue(matches("{'k':[{'exists':false}]}", "{}"));
        assertFalse(matches("{'k':[{'exists':false}]}", "{'k':1}"));
        assertTrue(matches("{'k':[{'exists':false},'a']}", "{'k':'a'}"));
    }

    @Test
    void cidrMatchesAddressesInsideTheNetwork() {
        assertTrue(matches("{'ip':[{'cidr':'10.0.0.0/24'}]}", "{'ip':'10.0.0.255'}"));
        assertFalse(matches("{'ip':[{'cidr':'10.0.0.0/24'}]}", "{'ip':'10.0.1.0'}"));
        assertTrue(matches("{'ip':[{'cidr':'2001:db8::/32'}]}", "{'ip':'2001:db8:1::7'}"));
        assertFalse(matches("{'ip':[{'cidr':'2001:db8::/32'}]}", "{'ip':'not-an-ip'}"));
    }

    @Test
    void nestedKeysFollowTheEventsObjects() {
        String pattern = "{'order':{'customer':{'tier':['gold']}}}";
        assertTrue(matches(pattern, "{'order':{'customer':{'tier':'gold'}}}"));
        assertFalse(matches(pattern, "{'order':{'customer':{'tier':'silver'}}}"));
        assertFalse(matches(pattern, "{'order':'gold'}"));
        assertTrue(matches(pattern, "{'order':[{'customer':{'tier':'x'}},{'customer':{'tier':'gold'}}]}"));
        assertTrue(matches("{'a':{'b':[{'exists':false}]}}", "{}"));
    }

    @Test
    void orMatchesWhenOneAlternativeDoes() {
        String pattern = "{'source':['aws.cloudwatch'],'$or':[{'metric':['CPU']},{'namespace':['EC2']}]}";
        assertTrue(matches(pattern, "{'source':'aws.cloudwatch','namespace':'EC2'}"));
        assertTrue(matches(pattern, "{'source':'aws.cloudwatch','metric':'CPU'}"));
        assertFalse(matches(pattern, "{'source':'aws.cloudwatch','metric':'Disk'}"));
        assertFalse(matches(pattern, "{'source':'other','metric':'CPU'}"));
    }

    @Test
    void countsKeysAndCombinations() {
        EventPattern pattern = EventPattern.compile(tree(
                "{'a':['1','2','3'],'b':{'c':['x','y']},'$or':[{'d':['1']},{'e':['1','2']}]}"));
        assertEquals(4, pattern.keyCount());
        assertEquals(3 * 2 * (1 + 2), pattern.combinations());
        assertTrue(pattern.hasNestedFields());
        assertFalse(EventPattern.compile(tree("{'a':['1']}")).hasNestedFields());
    }

    @Test
    void malformedPatternsAreRejected() {
        for (String bad : new String[] {"[]", "{}", "{'a':'x'}", "{'a':[]}", "{'a':[{'nope':1}]}",
                "{'a':[{'prefix':1}]}", "{'a':[{'numeric':['>',5,'<',1]}]}", "{'a':[{'numeric':['!',1]}]}",
                "{'a':[{'numeric':['<',1,'>',0]}]}", "{'a':[{'exists':'yes'}]}", "{'a':[{'cidr':'10.0.0.0/40'}]}",
                "{'$or':[{'a':['1']}]}", "{'a':[{'prefix':'x','suffix':'y'}]}", "{'a':[{'anything-but':[]}]}",
                "{'a':[['nested list']]}"}) {
            assertThrows(InvalidPatternException.class, () -> EventPattern.compile(tree(bad)), bad);
        }
    }

    @Test
    void numberLiteralsBeyondDoubleRangeAreInvalidPatterns() {
        for (String pattern : new String[] {"{'n':[1e400]}", "{'n':[-1e400]}", "{'n':[{'numeric':['<',1e400]}]}",
                "{'n':[{'numeric':['>',0,'<',1e309]}]}", "{'n':[{'anything-but':1e400}]}",
                "{'n':[{'anything-but':['a',-1e999]}]}"}) {
            assertThrows(InvalidPatternException.class, () -> EventPattern.compile(tree(pattern)), pattern);
        }
    }

    @Test
    void eventNumbersBeyondDoubleRangeMatchNoNumberButStayNumbers() {
        assertFalse(matches("{'n':[{'numeric':['>',0]}]}", "{'n':1e400}"));
        assertFalse(matches("{'n':[5]}", "{'n':-1e400}"));
        assertTrue(matches("{'n':[{'anything-but':5}]}", "{'n':1e400}"));
        assertTrue(matches("{'n':[{'exists':true}]}", "{'n':1e400}"));
        assertTrue(matches("{'n':[{'numeric':['>',0]}]}", "{'n':" + "9".repeat(400) + "}"), "a long integer is exact");
    }

    @Test
    void errorMessagesNameKeysWithoutControlCharactersOrUnboundedLength() {
        InvalidPatternException nul = assertThrows(InvalidPatternException.class,
                () -> EventPattern.compile(tree("{'a':{'x\\u0000y':[]}}")));
        assertTrue(nul.getMessage().contains("a.x?y"), nul.getMessage());
        InvalidPatternException longKey = assertThrows(InvalidPatternException.class,
                () -> EventPattern.compile(tree("{'" + "k".repeat(20_000) + "':[]}")));
        assertTrue(longKey.getMessage().length() < 300, longKey.getMessage());
    }
}
