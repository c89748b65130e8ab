package dev.sluice.clientsdk.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One Query request's parameters: from the query string and the body, each name once. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class QueryParametersTest {

    @Test
    void parametersOfTheQueryStringAndTheBodyAreReadTogether() {
        QueryParameters parameters = QueryParameters.ofRequest("Action=SendMessage", "QueueUrl=u&MessageBody=a%20b");
        assertEquals("SendMessage", parameters.string("Action"));
        assertEquals("a b", parameters.string("MessageBody"));
        assertEquals("u", QueryParameters.ofRequest(null, "QueueUrl=u").string("QueueUrl"));
    }

    @Test
    void aNameInBothTheQueryStringAndTheBodyIsRefusedRatherThanOneOverridingTheOther() {
        SqsException refused = assertThrows(SqsException.class,
                () -> QueryParameters.ofRequest("Action=ListQueues", "Action=CreateQueue&QueueName=x"));
        assertEquals(SqsError.INVALID_QUERY_PARAMETER, refused.error());
        assertEquals(true, refused.getMessage().contains("Action"), refused.getMessage());
    }

    @Test
    void aNameTwiceInOnePlaceIsRefusedAndAnUnprintableNameIsNotEchoed() {
        assertEquals(SqsError.INVALID_QUERY_PARAMETER, assertThrows(SqsException.class,
                () -> QueryParameters.ofRequest("Action=A&Action=B", null)).error());
        SqsException refused = assertThrows(SqsException.class, () -> QueryParameters.ofRequest(null, "%00=1&%00=2"));
        assertEquals(false, refused.getMessage().contains("\0"), refused.getMessage());
    }

    @Test
    void aBrokenEscapeIsAMalformedQueryString() {
        assertEquals(SqsError.MALFORMED_QUERY_STRING, assertThrows(SqsException.class,
                () -> QueryParameters.ofRequest("a=%zz", null)).error());
    }

    @Test
    void parseStillKeepsTheFirstOfRepeatedNames() {
        assertEquals("1", QueryParameters.parse("a=1&a=2").string("a"));
    }
}
