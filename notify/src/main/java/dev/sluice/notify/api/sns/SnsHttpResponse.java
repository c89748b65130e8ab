package dev.sluice.notify.api.sns;

/**
 * An SNS answer without HTTP library types: status and XML body ({@code text/xml}), and for the request meters the
 * error code of a failure (null on success).
 */
public record SnsHttpResponse(int status, byte[] body, String errorCode) {
    public static final String CONTENT_TYPE = "text/xml";

    public SnsHttpResponse(int status, byte[] body) {
        this(status, body, null);
    }
}
