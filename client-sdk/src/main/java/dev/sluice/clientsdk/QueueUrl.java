package dev.sluice.clientsdk;

import java.util.Objects;
import java.util.Optional;

/**
 * The identity in a queue URL, {@code http(s)://host:port/{accountId}/{queueName}}.
 *
 * <p>Only the path identifies a queue: clients reach the same queue through different host names
 * (localhost, a load balancer), so the engine keys queues by account id and name and must not
 * compare hosts. The edge reconstructs a URL from the request path when a Query request is posted
 * to {@code /{accountId}/{queueName}} without a {@code QueueUrl} parameter.
 *
 * @param accountId the owning account (12 digits in AWS; any 1..64 of [A-Za-z0-9_-] in Sluice)
 * @param queueName the queue name, with {@code .fifo} for FIFO queues
 */
public record QueueUrl(String accountId, String queueName) {

    /** The longest account id or queue name a URL may carry (SQS names are at most 80 characters). */
    private static final int MAX_SEGMENT_LENGTH = 80;

    public QueueUrl {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(queueName, "queueName");
    }

    /**
     * Parses an absolute URL or a bare path ({@code /{accountId}/{queueName}}); empty when the
     * value has not exactly these two non-empty path segments.
     */
    public static Optional<QueueUrl> parse(String url) {
        if (url == null) {
            return Optional.empty();
        }
        // Hand-parsed rather than through java.net.URI: this runs for every request.
        int pathStart = 0;
        int schemeEnd = url.indexOf("://");
        if (schemeEnd >= 0) {
            pathStart = url.indexOf('/', schemeEnd + 3);
            if (schemeEnd == 0 || pathStart < 0 || !isAuthority(url, schemeEnd + 3, pathStart)) {
                return Optional.empty();
            }
        }
        int pathEnd = url.length();
        for (int i = pathStart; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c == '?' || c == '#') {
                pathEnd = i;
                break;
            }
        }
        if (pathStart >= pathEnd || url.charAt(pathStart) != '/') {
            return Optional.empty();
        }
        int slash = url.indexOf('/', pathStart + 1);
        if (slash < 0 || slash > pathEnd) {
            return Optional.empty();
        }
        if (!isSegment(url, pathStart + 1, slash) || !isSegment(url, slash + 1, pathEnd)) {
            return Optional.empty();
        }
        return Optional.of(new QueueUrl(url.substring(pathStart + 1, slash), url.substring(slash + 1, pathEnd)));
    }

    /**
     * True when {@code url[from, to)} is 1 to 80 of {@code [A-Za-z0-9_.-]}: a loop rather than a regular expression,
     * as a request parses its queue URL several times on its way (validation, account, quota, routing).
     */
    private static boolean isSegment(String url, int from, int to) {
        if (to <= from || to - from > MAX_SEGMENT_LENGTH) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = url.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '.' || c == '-';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    /** A non-empty host[:port] with no characters a URL authority cannot hold unescaped. */
    private static boolean isAuthority(String url, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = url.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == '\\' || c == '"' || c == '<' || c == '>' || c == '{' || c == '}' || c == '|') {
                return false;
            }
        }
        return true;
    }

    /** The URL under a base such as {@code http://127.0.0.1:9324} (no trailing slash). */
    public String toUrl(String baseUrl) {
        return baseUrl + "/" + accountId + "/" + queueName;
    }

    /**
     * The one string Sluice keys this queue by inside its engines, placement and logs: the bare name for a queue of
     * {@code defaultAccount} (every queue before accounts existed, so older logs and data read unchanged), else
     * {@code accountId/queueName}. '/' occurs in no queue name, so a qualified name never equals a bare one.
     */
    public String qualifiedName(String defaultAccount) {
        return accountId.equals(defaultAccount) ? queueName : accountId + "/" + queueName;
    }

    /** The queue a {@link #qualifiedName qualified name} stands for. */
    public static QueueUrl ofQualified(String qualifiedName, String defaultAccount) {
        int slash = qualifiedName.indexOf('/');
        return slash < 0 ? new QueueUrl(defaultAccount, qualifiedName)
                : new QueueUrl(qualifiedName.substring(0, slash), qualifiedName.substring(slash + 1));
    }

    /**
     * The queue an SQS ARN ({@code arn:partition:sqs:region:account:name}) names, whatever its partition and region;
     * empty when the value has fewer than six ':'-separated parts or an empty account or name.
     */
    public static Optional<QueueUrl> ofArn(String arn) {
        if (arn == null) {
            return Optional.empty();
        }
        int nameColon = arn.lastIndexOf(':');
        int accountColon = nameColon <= 0 ? -1 : arn.lastIndexOf(':', nameColon - 1);
        if (accountColon < 0 || nameColon == accountColon + 1 || nameColon == arn.length() - 1
                || arn.chars().filter(c -> c == ':').count() < 5) {
            return Optional.empty();
        }
        return Optional.of(new QueueUrl(arn.substring(accountColon + 1, nameColon), arn.substring(nameColon + 1)));
    }

    /** The queue's ARN, {@code arn:aws:sqs:{region}:{accountId}:{queueName}}. */
    public String toArn(String region) {
        return "arn:aws:sqs:" + region + ":" + accountId + ":" + queueName;
    }
}
