package dev.sluice.broker.api.sqs;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An encoded SQS answer: status, content type, extra headers and body bytes; for the request meters also the action
 * (its wire name, null when the request named none we know) and the error code (null on success).
 */
public record SqsHttpResponse(int status, String contentType, Map<String, String> headers, byte[] body, String action,
        String errorCode) {

    public SqsHttpResponse {
        headers = Map.copyOf(headers);
    }

    public SqsHttpResponse(int status, String contentType, Map<String, String> headers, byte[] body) {
        this(status, contentType, headers, body, null, null);
    }

    /** This answer, labelled as the answer to {@code action} (null: unknown). */
    public SqsHttpResponse answering(dev.sluice.clientsdk.SqsAction action) {
        return new SqsHttpResponse(status, contentType, headers, body, action == null ? null : action.wireName(), errorCode);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
