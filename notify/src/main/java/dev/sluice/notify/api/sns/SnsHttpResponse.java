package dev.sluice.notify.api.sns;

/** An SNS answer without HTTP library types: status and XML body ({@code text/xml}). */
public record SnsHttpResponse(int status, byte[] body) {
    public static final String CONTENT_TYPE = "text/xml";
}
