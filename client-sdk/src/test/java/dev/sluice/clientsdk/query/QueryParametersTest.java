package dev.sluice.clientsdk.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class QueryParametersTest {

    private static SqsError refusal(Runnable parse) {
        return assertThrows(SqsException.class, parse::run).error();
    }

    @Test
    void percentEscapesThatAreNotUtf8AreRefusedNotReplaced() {
        assertEquals(SqsError.INVALID_PARAMETER_VALUE, refusal(() -> QueryParameters.parse("MessageBody=%C3%28")));
        assertEquals(SqsError.INVALID_PARAMETER_VALUE, refusal(() -> QueryParameters.parse("MessageBody=%FF")));
        assertEquals(SqsError.INVALID_PARAMETER_VALUE, refusal(() -> QueryParameters.parse("%ED%A0%80=x")));
        assertEquals("The value of parameter MessageBody is not valid UTF-8.",
                assertThrows(SqsException.class, () -> QueryParameters.parse("MessageBody=a%E2%82")).getMessage());
    }

    @Test
    void aBodyThatIsNotUtf8IsRefused() {
        byte[] latin1 = "Action=SendMessage&MessageBody=caf\u00e9".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(SqsError.INVALID_PARAMETER_VALUE, refusal(() -> QueryParameters.parse(latin1)));
    }

    @Test
    void brokenEscapesAreMalformedQueryStrings() {
        for (String form : new String[] {"a=%", "a=%z1", "a=%1", "%zz=1", "a=%\u0661\u0662"}) {
            assertEquals(SqsError.MALFORMED_QUERY_STRING, refusal(() -> QueryParameters.parse(form)), form);
        }
    }

    @Test
    void validEscapesPlusesAndRawCharactersDecode() {
        QueryParameters parameters = QueryParameters.parse("A=caf%C3%A9+%F0%9F%98%80x&B=%00&C=raw\u00e9");
        assertEquals("caf\u00e9 \uD83D\uDE00x", parameters.string("A"));
        assertEquals("\u0000", parameters.string("B"));
        assertEquals("raw\u00e9", parameters.string("C"));
    }

    @Property(tries = 200)
    void anyFormEncodedTextDecodesToItself(@ForAll String key, @ForAll String value) {
        String wellFormedKey = "k" + key.replaceAll("\\p{Cs}", "");
        String wellFormedValue = value.replaceAll("\\p{Cs}", "");
        String form = URLEncoder.encode(wellFormedKey, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(wellFormedValue, StandardCharsets.UTF_8);
        assertEquals(wellFormedValue, QueryParameters.parse(form).string(wellFormedKey));
    }

    private static byte[] form(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void rawNonAsciiOctetsOfTheQueryStringAreReadAsUtf8AndRefusedWhenTheyAreNot() {
        String utf8Octets = new String("A=caf\u00e9".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        assertEquals("caf\u00e9", QueryParameters.ofRequest(utf8Octets, null).string("A"));
        assertEquals(SqsError.INVALID_PARAMETER_VALUE, refusal(() -> QueryParameters.ofRequest("A=caf\u00e9", null)));
    }

    @Test
    void parametersOfTheQueryStringAndTheBodyAreReadTogether() {
        QueryParameters parameters = QueryParameters.ofRequest("Action=SendMessage", form("QueueUrl=u&MessageBody=a%20b"));
        assertEquals("SendMessage", parameters.string("Action"));
        assertEquals("a b", parameters.string("MessageBody"));
        assertEquals("u", QueryParameters.ofRequest(null, form("QueueUrl=u")).string("QueueUrl"));
    }

    @Test
    void aNameInBothTheQueryStringAndTheBodyIsRefusedRatherThanOneOverridingTheOther() {
        SqsException refused = assertThrows(SqsException.class,
                () -> QueryParameters.ofRequest("Action=ListQueues", form("Action=CreateQueue&QueueName=x")));
        assertEquals(SqsError.INVALID_QUERY_PARAMETER, refused.error());
        assertEquals(true, refused.getMessage().contains("Action"), refused.getMessage());
    }

    @Test
    void aNameTwiceInOnePlaceIsRefusedAndAnUnprintableNameIsNotEchoed() {
        assertEquals(SqsError.INVALID_QUERY_PARAMETER, assertThrows(SqsException.class,
                () -> QueryParameters.ofRequest("Action=A&Action=B", null)).error());
        SqsException refused = assertThrows(SqsException.class, () -> QueryParameters.ofRequest(null, form("%00=1&%00=2")));
        assertEquals(false, refused.getMessage().contains("\0"), refused.getMessage());
    }

    @Test
    void aBrokenEscapeIsAMalformedQueryString() {
        assertEquals(SqsError.MALFORMED_QUERY_STRING, assertThrows(SqsException.class,
                () -> QueryParameters.ofRequest("a=%zz", null)).error());
    }

    @Test
    void aBrokenEscapeAfterARepeatedNameIsStillAMalformedQueryString() {
        assertEquals(SqsError.MALFORMED_QUERY_STRING, assertThrows(SqsException.class,
                () -> QueryParameters.ofRequest("QueueName=a&QueueName=a&Extra=x%zz", null)).error());
        assertEquals(SqsError.MALFORMED_QUERY_STRING, assertThrows(SqsException.class,
                () -> QueryParameters.ofRequest("QueueName=a", form("QueueName=a&Extra=%"))).error());
    }

    @Test
    void parseStillKeepsTheFirstOfRepeatedNames() {
        assertEquals("1", QueryParameters.parse("a=1&a=2").string("a"));
    }
}
