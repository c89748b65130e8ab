package dev.sluice.broker.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.clientsdk.auth.AwsCredentials;
import dev.sluice.clientsdk.auth.SigV4;
import dev.sluice.clientsdk.auth.SigV4Signer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The verifier against AWS's published Signature V4 test suite (credentials {@code AKIDEXAMPLE}, region
 * {@code us-east-1}, service {@code service}, time {@code 20150830T123600Z}, host
 * {@code example.amazonaws.com}; the expected signatures are the suite's), then its refusals.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SigV4VerifierTest {
    private static final String KEY_ID = "AKIDEXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final Instant SUITE_TIME = Instant.parse("2015-08-30T12:36:00Z");
    private static final String SCOPE = KEY_ID + "/20150830/us-east-1/service/aws4_request";

    private final SigV4Verifier verifier = new SigV4Verifier(Map.of(KEY_ID, SECRET), InstantSource.fixed(SUITE_TIME));

    private static SignedRequest request(String method, String path, String query, Map<String, String> headers,
            String body) {
        TreeMap<String, String> caseless = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        caseless.putAll(headers);
        return new SignedRequest(method, path, query,
                name -> caseless.containsKey(name) ? List.of(caseless.get(name)) : List.of(),
                body.getBytes(StandardCharsets.UTF_8), headers.keySet().stream()
                        .map(name -> name.toLowerCase(java.util.Locale.ROOT)).collect(java.util.stream.Collectors.toSet()));
    }

    private static Map<String, String> suiteHeaders(String signature) {
        return Map.of("Host", "example.amazonaws.com", "X-Amz-Date", "20150830T123600Z",
                "Authorization", "AWS4-HMAC-SHA256 Credential=" + SCOPE + ", SignedHeaders=host;x-amz-date, Signature="
                        + signature);
    }

    private Verdict verifySuite(String method, String query, String signature) {
        return verifier.verify(request(method, "/", query, suiteHeaders(signature), ""));
    }

    @Test
    void acceptsTheSuitesGetVanilla() {
        Verdict verdict = verifySuite("GET", null, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
        assertEquals(new Verdict.Verified(KEY_ID, "service", "000000000000"), verdict);
    }

    @Test
    void acceptsTheSuitesPostVanilla() {
        assertInstanceOf(Verdict.Verified.class,
                verifySuite("POST", null, "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"));
    }

    @Test
    void acceptsTheSuitesQueryOrderKeyCase() {
        assertInstanceOf(Verdict.Verified.class, verifySuite("GET", "Param2=value2&Param1=value1",
                "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"));
    }

    @Test
    void acceptsTheSuitesQueryOrderValue() {
        assertInstanceOf(Verdict.Verified.class, verifySuite("GET", "Param1=value2&Param1=value1",
                "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694"));
    }

    @Test
    void aSignatureOfAnotherRequestDoesNotMatch() {
        Verdict verdict = verifySuite("POST", null, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
        assertEquals(AuthFailure.SIGNATURE_DOES_NOT_MATCH, ((Verdict.Refused) verdict).failure());
    }

    @Test
    void anUnknownAccessKeyIsAnInvalidClientTokenId() {
        Map<String, String> headers = new TreeMap<>(suiteHeaders("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"));
        headers.put("Authorization", headers.get("Authorization").replace(KEY_ID, "AKIDOTHER"));
        Verdict verdict = verifier.verify(request("GET", "/", null, headers, ""));
        assertEquals(AuthFailure.INVALID_CLIENT_TOKEN_ID, ((Verdict.Refused) verdict).failure());
    }

    @Test
    void aRequestWithoutASignatureIsMissingItsToken() {
        Verdict verdict = verifier.verify(request("GET", "/", "Action=ListQueues", Map.of("Host", "h"), ""));
        assertEquals(AuthFailure.MISSING_AUTHENTICATION_TOKEN, ((Verdict.Refused) verdict).failure());
    }

    @Test
    void anAuthorizationWithoutItsPartsIsAnIncompleteSignature() {
        Verdict verdict = verifier.verify(request("GET", "/", null, Map.of("Host", "example.amazonaws.com",
                "X-Amz-Date", "20150830T123600Z", "Authorization", "AWS4-HMAC-SHA256 Credential=" + SCOPE), ""));
        assertEquals(AuthFailure.INCOMPLETE_SIGNATURE, ((Verdict.Refused) verdict).failure());
    }

    @Test
    void aSignatureOlderThanFifteenMinutesHasExpired() {
        SigV4Verifier later = new SigV4Verifier(Map.of(KEY_ID, SECRET),
                InstantSource.fixed(SUITE_TIME.plus(Duration.ofMinutes(15)).plusSeconds(1)));
        Verdict.Refused refused = (Verdict.Refused) later.verify(request("GET", "/", null,
                suiteHeaders("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"), ""));
        assertEquals(AuthFailure.SIGNATURE_DOES_NOT_MATCH, refused.failure());
        assertEquals("Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z "
                + "(20150830T125101Z - 15 min.)", refused.message());
    }

    @Test
    void aSignatureWithinFifteenMinutesIsCurrent() {
        SigV4Verifier later = new SigV4Verifier(Map.of(KEY_ID, SECRET),
                InstantSource.fixed(SUITE_TIME.plus(Duration.ofMinutes(15))));
        assertInstanceOf(Verdict.Verified.class, later.verify(request("GET", "/", null,
                suiteHeaders("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"), "")));
    }

    @Test
    void aSignatureFromTheFutureIsNotYetCurrent() {
        SigV4Verifier earlier = new SigV4Verifier(Map.of(KEY_ID, SECRET),
                InstantSource.fixed(SUITE_TIME.minus(Duration.ofMinutes(16))));
        Verdict.Refused refused = (Verdict.Refused) earlier.verify(request("GET", "/", null,
                suiteHeaders("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"), ""));
        assertEquals(AuthFailure.SIGNATURE_DOES_NOT_MATCH, refused.failure());
        assertTrue(refused.message().startsWith("Signature not yet current: 20150830T123600Z is still later than"),
                refused.message());
    }

    @Test
    void theSignersRequestsVerifyAndATamperedBodyDoesNot() {
        SigV4Signer signer = new SigV4Signer("sqs", "eu-west-1", true);
        URI uri = URI.create("http://127.0.0.1:9324/000000000000/alerts?Action=SendMessage");
        Map<String, String> headers = new TreeMap<>(Map.of("Content-Type", "application/x-www-form-urlencoded"));
        String body = "MessageBody=disk%20full";
        headers.putAll(signer.sign("POST", uri, headers, body.getBytes(StandardCharsets.UTF_8),
                AwsCredentials.of(KEY_ID, SECRET), SUITE_TIME).headers());
        headers.put("Host", "127.0.0.1:9324");
        assertEquals(new Verdict.Verified(KEY_ID, "sqs", "000000000000"),
                verifier.verify(request("POST", uri.getRawPath(), uri.getRawQuery(), headers, body)));

        Verdict.Refused tampered = (Verdict.Refused) verifier.verify(request("POST", uri.getRawPath(), uri.getRawQuery(),
                headers, "MessageBody=rm%20-rf"));
        assertEquals(AuthFailure.SIGNATURE_DOES_NOT_MATCH, tampered.failure());
    }

    @Test
    void anUnsignedPayloadIsSignedAsSuch() {
        SigV4Signer signer = new SigV4Signer("sqs", "us-east-1");
        URI uri = URI.create("http://localhost:9324/");
        Map<String, String> headers = new TreeMap<>(Map.of("x-amz-content-sha256", "UNSIGNED-PAYLOAD"));
        headers.putAll(signer.sign("POST", uri, headers, new byte[0], AwsCredentials.of(KEY_ID, SECRET), SUITE_TIME)
                .headers());
        headers.put("Host", "localhost:9324");
        // The signer hashed the empty body into the signature, the header says UNSIGNED-PAYLOAD: they differ.
        assertEquals(AuthFailure.SIGNATURE_DOES_NOT_MATCH, ((Verdict.Refused) verifier.verify(
                request("POST", "/", null, headers, "anything"))).failure());
    }

    @Test
    void aPresignedUrlVerifiesUntilItExpires() {
        SigV4Signer signer = new SigV4Signer("sqs", "us-east-1");
        URI url = signer.presign("GET", URI.create("http://localhost:9324/?Action=ListQueues&Version=2012-11-05"),
                AwsCredentials.of(KEY_ID, SECRET), SUITE_TIME, Duration.ofSeconds(60));
        SignedRequest presigned = request("GET", url.getRawPath(), url.getRawQuery(), Map.of("Host", "localhost:9324"), "");
        assertEquals(new Verdict.Verified(KEY_ID, "sqs", "000000000000"), verifier.verify(presigned));

        SigV4Verifier later = new SigV4Verifier(Map.of(KEY_ID, SECRET), InstantSource.fixed(SUITE_TIME.plusSeconds(61)));
        assertEquals(AuthFailure.REQUEST_EXPIRED, ((Verdict.Refused) later.verify(presigned)).failure());

        SignedRequest altered = request("GET", url.getRawPath(), url.getRawQuery().replace("ListQueues", "PurgeQueue"),
                Map.of("Host", "localhost:9324"), "");
        assertEquals(AuthFailure.SIGNATURE_DOES_NOT_MATCH, ((Verdict.Refused) verifier.verify(altered)).failure());
    }

    @Test
    void aPlusInTheQueryIsASpaceToTheSignatureAsToTheActions() {
        // The Query protocol reads '+' as a space; a signed "%2B" turned into '+' changes the value, not the signature.
        SigV4Signer signer = new SigV4Signer("sqs", "us-east-1");
        URI url = signer.presign("GET", URI.create("http://localhost:9324/000000000000/q?Action=SendMessage"
                + "&MessageBody=1%2B1"), AwsCredentials.of(KEY_ID, SECRET), SUITE_TIME, Duration.ofSeconds(60));
        Map<String, String> host = Map.of("Host", "localhost:9324");
        assertEquals(new Verdict.Verified(KEY_ID, "sqs", "000000000000"),
                verifier.verify(request("GET", url.getRawPath(), url.getRawQuery(), host, "")));
        SignedRequest altered = request("GET", url.getRawPath(), url.getRawQuery().replace("1%2B1", "1+1"), host, "");
        assertEquals(AuthFailure.SIGNATURE_DOES_NOT_MATCH, ((Verdict.Refused) verifier.verify(altered)).failure());

        // A client that writes a space as '+' signs it as %20, as AWS's canonical form has it.
        URI spaced = signer.presign("GET", URI.create("http://localhost:9324/000000000000/q?Action=SendMessage"
                + "&MessageBody=disk+full"), AwsCredentials.of(KEY_ID, SECRET), SUITE_TIME, Duration.ofSeconds(60));
        SignedRequest asPercent = request("GET", spaced.getRawPath(), spaced.getRawQuery().replace("disk+full",
                "disk%20full"), host, "");
        assertEquals(new Verdict.Verified(KEY_ID, "sqs", "000000000000"), verifier.verify(asPercent));
    }

    @Test
    void aPresignedUrlWithoutAllItsPartsIsIncomplete() {
        Verdict.Refused refused = (Verdict.Refused) verifier.verify(request("GET", "/",
                "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=00", Map.of("Host", "h"), ""));
        assertEquals(AuthFailure.INCOMPLETE_SIGNATURE, refused.failure());
    }

    @Test
    void hostMustBeSigned() {
        Map<String, String> headers = Map.of("Host", "example.amazonaws.com", "X-Amz-Date", "20150830T123600Z",
                "Authorization", "AWS4-HMAC-SHA256 Credential=" + SCOPE + ", SignedHeaders=x-amz-date, Signature=00");
        assertEquals(AuthFailure.INCOMPLETE_SIGNATURE,
                ((Verdict.Refused) verifier.verify(request("GET", "/", null, headers, ""))).failure());
    }

    @Test
    void aPresignedUrlMayLastSevenDaysAndNoLonger() {
        SigV4Signer signer = new SigV4Signer("sqs", "us-east-1");
        URI url = signer.presign("GET", URI.create("http://localhost:9324/?Action=ListQueues"),
                AwsCredentials.of(KEY_ID, SECRET), SUITE_TIME, Duration.ofSeconds(60));
        Map<String, String> host = Map.of("Host", "localhost:9324");
        // Changing X-Amz-Expires breaks the signature; only the bound itself may answer IncompleteSignature.
        SignedRequest sevenDays = request("GET", "/", url.getRawQuery().replace("X-Amz-Expires=60",
                "X-Amz-Expires=" + SigV4Verifier.MAX_EXPIRES_SECONDS), host, "");
        assertEquals(AuthFailure.SIGNATURE_DOES_NOT_MATCH, ((Verdict.Refused) verifier.verify(sevenDays)).failure());
        SignedRequest longer = request("GET", "/", url.getRawQuery().replace("X-Amz-Expires=60",
                "X-Amz-Expires=" + (SigV4Verifier.MAX_EXPIRES_SECONDS + 1)), host, "");
        Verdict.Refused refused = (Verdict.Refused) verifier.verify(longer);
        assertEquals(AuthFailure.INCOMPLETE_SIGNATURE, refused.failure());
        assertTrue(refused.message().startsWith("X-Amz-Expires must be non-negative and less than a week"),
                refused.message());
    }

    @Test
    void aScopeDatedOtherThanTheRequestIsRefusedEvenWhenItsSignatureIsRight() {
        Verdict.Refused refused = (Verdict.Refused) verifier.verify(signedWithScope("20150829", "aws4_request"));
        assertEquals(AuthFailure.SIGNATURE_DOES_NOT_MATCH, refused.failure());
        assertTrue(refused.message().startsWith("Date in Credential scope does not match"), refused.message());
    }

    @Test
    void aScopeWithoutTheAws4RequestTerminatorIsRefusedEvenWhenItsSignatureIsRight() {
        Verdict.Refused refused = (Verdict.Refused) verifier.verify(signedWithScope("20150830", "aws4_reqest"));
        assertEquals(AuthFailure.SIGNATURE_DOES_NOT_MATCH, refused.failure());
        assertTrue(refused.message().startsWith("Credential should be scoped with a valid terminator"),
                refused.message());
    }

    /** A GET of / signed at the suite's time over the standard scope of {@code scopeDate}, claiming {@code terminator}. */
    private static SignedRequest signedWithScope(String scopeDate, String terminator) {
        String dateTime = "20150830T123600Z";
        TreeMap<String, String> canonicalHeaders = new TreeMap<>(Map.of("host", "example.amazonaws.com",
                "x-amz-date", dateTime));
        String canonicalRequest = SigV4.canonicalRequest("GET", "/", "", canonicalHeaders,
                SigV4.sha256Hex(new byte[0]));
        String scope = SigV4.scope(scopeDate, "us-east-1", "service");
        String signature = SigV4.signature(SigV4.signingKey(SECRET, scopeDate, "us-east-1", "service"),
                SigV4.stringToSign(dateTime, scope, canonicalRequest));
        String claimedScope = scope.replace("aws4_request", terminator);
        return request("GET", "/", null, Map.of("Host", "example.amazonaws.com", "X-Amz-Date", dateTime,
                "Authorization", "AWS4-HMAC-SHA256 Credential=" + KEY_ID + "/" + claimedScope
                        + ", SignedHeaders=host;x-amz-date, Signature=" + signature), "");
    }

    /** The suite's GET vanilla with {@code extra} headers added after signing. */
    private Verdict suiteGetWith(Map<String, String> extra, String body) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(suiteHeaders("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"));
        headers.putAll(extra);
        return verifier.verify(request("GET", "/", null, headers, body));
    }

    @Test
    void anUnsignedXAmzTargetOrSluiceHeaderIsRefusedButAnUnsignedContentTypeIsNot() {
        Verdict.Refused target = (Verdict.Refused) suiteGetWith(Map.of("X-Amz-Target", "AmazonSQS.CreateQueue"), "");
        assertEquals(AuthFailure.SIGNATURE_DOES_NOT_MATCH, target.failure());
        assertTrue(target.message().contains("x-amz-target"), target.message());
        assertEquals(AuthFailure.SIGNATURE_DOES_NOT_MATCH,
                ((Verdict.Refused) suiteGetWith(Map.of("Sluice-Delay-Seconds", "9"), "")).failure());
        assertInstanceOf(Verdict.Verified.class, suiteGetWith(Map.of("Content-Type", "text/plain"), ""));
    }

    @Test
    void anUnsignedPayloadIsRefusedWithABody() {
        Verdict.Refused refused = (Verdict.Refused) suiteGetWith(Map.of("x-amz-content-sha256", SigV4.UNSIGNED_PAYLOAD),
                "Action=CreateQueue&QueueName=x");
        assertEquals(AuthFailure.SIGNATURE_DOES_NOT_MATCH, refused.failure());
        assertTrue(refused.message().contains("body must be signed"), refused.message());
    }

    @Test
    void aBrokenEscapeInTheQueryStringIsRefusedNotThrown() {
        Verdict.Refused refused = (Verdict.Refused) verifier.verify(request("GET", "/", "a=%zz",
                suiteHeaders("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"), ""));
        assertEquals(AuthFailure.SIGNATURE_DOES_NOT_MATCH, refused.failure());
    }
}
