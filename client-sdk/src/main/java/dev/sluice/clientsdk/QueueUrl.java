package dev.sluice.clientsdk;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

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

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.\\-]{1,80}");

    public QueueUrl {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(queueName, "queueName");
    }

    /**
     * Parses an absolute URL or a bare path ({@code /{accountId}/{queueName}}); empty when the
     * value has not exactly these two non-empty path segments.
     */
    public static Optional<QueueUrl> parse(String url) {
        if (url == null || url.isEmpty()) {
            return Optional.empty();
        }
        String path;
        try {
            path = new URI(url).getRawPath();
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        if (path == null || !path.startsWith("/")) {
            return Optional.empty();
        }
        String[] segments = path.substring(1).split("/", -1);
        if (segments.length != 2 || !SEGMENT.matcher(segments[0]).matches()
                || !SEGMENT.matcher(segments[1]).matches()) {
            return Optional.empty();
        }
        return Optional.of(new QueueUrl(segments[0], segments[1]));
    }

    /** The URL under a base such as {@code http://127.0.0.1:9324} (no trailing slash). */
    public String toUrl(String baseUrl) {
        return baseUrl + "/" + accountId + "/" + queueName;
    }

    /** The queue's ARN, {@code arn:aws:sqs:{region}:{accountId}:{queueName}}. */
    public String toArn(String region) {
        return "arn:aws:sqs:" + region + ":" + accountId + ":" + queueName;
    }
}
