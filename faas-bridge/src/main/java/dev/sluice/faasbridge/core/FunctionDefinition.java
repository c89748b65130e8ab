package dev.sluice.faasbridge.core;

import dev.sluice.clientsdk.LambdaError;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * A named invocation target: either an HTTP invoke URL (the event is POSTed there; the Lambda
 * Runtime Interface Emulator's {@code /2015-03-31/functions/function/invocations} works as is) or
 * the name of an in-process {@link dev.sluice.faasbridge.function.FunctionHandler}.
 *
 * @param name                 Lambda's function-name rule: 1..64 of {@code [A-Za-z0-9_-]}
 * @param invokeUrl            absolute http(s) URL, or null for a Java handler
 * @param handler              a handler's {@code name()}, or null for an HTTP function
 * @param timeoutSeconds       1..900 (Lambda's range; default 3); an invocation running longer failed
 * @param reservedConcurrency  invocations of this function in flight at once on one bridge, across all
 *                             its mappings (1..1000), or null for no limit beyond the mappings' own
 * @param lastModifiedMillis   when it was last written (epoch ms)
 */
public record FunctionDefinition(String name, String invokeUrl, String handler, int timeoutSeconds,
        Integer reservedConcurrency, long lastModifiedMillis) {
    public static final int DEFAULT_TIMEOUT_SECONDS = 3;
    public static final int MAX_TIMEOUT_SECONDS = 900;
    public static final int MAX_RESERVED_CONCURRENCY = 1000;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** A stored name: a function name, after its account's id in any account but the default one ({@link AccountScope}). */
    private static final Pattern QUALIFIED_NAME = Pattern.compile("([0-9]{12}/)?[A-Za-z0-9_-]{1,64}");

    /** Checks every field; a problem is a {@link LambdaError#INVALID_PARAMETER_VALUE}. */
    public FunctionDefinition {
        if (name == null || !QUALIFIED_NAME.matcher(name).matches()) {
            checkName(name);
        }
        if ((invokeUrl == null) == (handler == null)) {
            throw invalid("Exactly one of InvokeUrl and Handler is required for function " + name);
        }
        if (invokeUrl != null) {
            checkUrl(invokeUrl);
        }
        if (handler != null && handler.isBlank()) {
            throw invalid("Handler must not be blank");
        }
        if (timeoutSeconds < 1 || timeoutSeconds > MAX_TIMEOUT_SECONDS) {
            throw invalid("Timeout must be between 1 and " + MAX_TIMEOUT_SECONDS + " seconds; got " + timeoutSeconds);
        }
        if (reservedConcurrency != null && (reservedConcurrency < 1 || reservedConcurrency > MAX_RESERVED_CONCURRENCY)) {
            throw invalid("ReservedConcurrentExecutions must be between 1 and " + MAX_RESERVED_CONCURRENCY + "; got "
                    + reservedConcurrency);
        }
    }

    /** {@code name} when it follows Lambda's function-name rule; else INVALID_PARAMETER_VALUE naming the rule. */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw invalid("FunctionName must be 1 to 64 characters of letters, digits, hyphens and underscores; got "
                    + quoted(name));
        }
        return name;
    }

    /** This function under another name: its stored (qualified) name, or the bare one an answer shows. */
    public FunctionDefinition withName(String newName) {
        return new FunctionDefinition(newName, invokeUrl, handler, timeoutSeconds, reservedConcurrency, lastModifiedMillis);
    }

    public boolean isHttp() {
        return invokeUrl != null;
    }

    /** Lambda's ARN shape, for API answers: {@code arn:aws:lambda:{region}:{account}:function:{name}}. */
    public String arn(String region, String accountId) {
        return arn(region, accountId, name);
    }

    public static String arn(String region, String accountId, String functionName) {
        return "arn:aws:lambda:" + region + ":" + accountId + ":function:" + functionName;
    }

    private static void checkUrl(String url) {
        try {
            URI uri = new URI(url);
            if (!uri.isAbsolute() || uri.getHost() == null
                    || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw invalid("InvokeUrl must be an absolute http or https URL; got " + quoted(url));
            }
        } catch (URISyntaxException e) {
            throw invalid("InvokeUrl is not a URL: " + e.getMessage());
        }
    }

    /** A value as an error may echo it: bounded, since it came from a client. */
    static String quoted(String value) {
        return value == null ? "nothing" : "'" + (value.length() > 80 ? value.substring(0, 80) + "..." : value) + "'";
    }

    static BridgeException invalid(String message) {
        return new BridgeException(LambdaError.INVALID_PARAMETER_VALUE, message);
    }
}
