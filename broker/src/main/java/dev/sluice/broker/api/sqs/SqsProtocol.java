package dev.sluice.broker.api.sqs;

/** The two wire protocols of SQS. */
public enum SqsProtocol {
    /** AWS JSON 1.0: {@code X-Amz-Target: AmazonSQS.<Action>}, JSON bodies; current AWS SDKs. */
    JSON("application/x-amz-json-1.0"),
    /** AWS Query: form-encoded {@code Action=...}, XML answers; older SDKs and CLIs. */
    QUERY("text/xml");

    /** The XML namespace of SQS's Query answers. */
    public static final String XML_NAMESPACE = "http://queue.amazonaws.com/doc/2012-11-05/";

    private final String responseContentType;

    SqsProtocol(String responseContentType) {
        this.responseContentType = responseContentType;
    }

    public String responseContentType() {
        return responseContentType;
    }
}
