package dev.sluice.broker.api.sqs;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** An encoded SQS answer: status, content type, extra headers and body bytes. */
public record SqsHttpResponse(int status, String contentType, Map<String, String> headers, byte[] body) {

    public SqsHttpResponse {
        headers = Map.copyOf(headers);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
