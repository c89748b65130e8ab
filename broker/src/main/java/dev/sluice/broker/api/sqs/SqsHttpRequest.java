package dev.sluice.broker.api.sqs;

/**
 * An SQS request as the HTTP layer hands it over, free of any HTTP library type.
 *
 * @param method {@code POST} or {@code GET}
 * @param contentType the Content-Type header, or null
 * @param amzTarget the X-Amz-Target header, or null
 * @param rawQuery the raw query string (Query protocol GET), or null
 * @param body the request body (empty for GET)
 * @param baseUrl {@code scheme://host[:port]} as the client addressed us, for queue URLs taken from the path
 * @param pathAccountId the account id of a {@code /{accountId}/{queueName}} path, or null
 * @param pathQueueName the queue name of such a path, or null
 */
public record SqsHttpRequest(String method, String contentType, String amzTarget, String rawQuery, byte[] body,
        String baseUrl, String pathAccountId, String pathQueueName) {

    public SqsHttpRequest {
        body = body == null ? new byte[0] : body;
    }

    /** The JSON 1.0 protocol is chosen by its target header or content type; anything else is Query. */
    public SqsProtocol protocol() {
        boolean json = amzTarget != null
                || (contentType != null && contentType.startsWith("application/x-amz-json"));
        return json ? SqsProtocol.JSON : SqsProtocol.QUERY;
    }

    /** The queue URL the path names, or null for requests to {@code /}. */
    public String pathQueueUrl() {
        return pathAccountId == null || pathQueueName == null ? null
                : baseUrl + "/" + pathAccountId + "/" + pathQueueName;
    }
}
