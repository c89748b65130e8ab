package dev.sluice.broker.api.sqs;

import dev.sluice.clientsdk.JsonProtocolCodec;
import dev.sluice.clientsdk.query.XmlWriter;
import dev.sluice.clientsdk.SqsError;
import java.util.Map;

/**
 * The one error encoder of the SQS edge, for both protocols.
 *
 * <p>JSON: {@code {"__type": "com.amazonaws.sqs#<Code>", "message": ...}} with the
 * {@code x-amzn-query-error: <legacyCode>;Sender|Receiver} header (awsQueryCompatible). Query:
 * {@code <ErrorResponse><Error><Type/><Code/><Message/><Detail/></Error><RequestId/></ErrorResponse>}.
 * Both carry the request id in {@code x-amzn-RequestId}. Thread-safe.
 */
public final class SqsErrorEncoder {

    private final JsonProtocolCodec json;

    public SqsErrorEncoder(JsonProtocolCodec json) {
        this.json = json;
    }

    public SqsHttpResponse encode(SqsProtocol protocol, SqsError error, String message, String requestId) {
        String text = message == null ? error.defaultMessage() : message;
        if (protocol == SqsProtocol.JSON) {
            return new SqsHttpResponse(error.httpStatus(), protocol.responseContentType(),
                    Map.of("x-amzn-RequestId", requestId,
                            "x-amzn-query-error", error.legacyCode() + ";" + error.faultType()),
                    json.encodeError(error, text), null, error.code());
        }
        XmlWriter xml = new XmlWriter().openRoot("ErrorResponse", SqsProtocol.XML_NAMESPACE).open("Error")
                .element("Type", error.faultType())
                .element("Code", error.legacyCode())
                .element("Message", text)
                .empty("Detail")
                .close("Error")
                .element("RequestId", requestId)
                .close("ErrorResponse");
        return new SqsHttpResponse(error.httpStatus(), protocol.responseContentType(),
                Map.of("x-amzn-RequestId", requestId), xml.toBytes(), null, error.code());
    }
}
