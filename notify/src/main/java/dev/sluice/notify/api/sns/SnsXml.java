package dev.sluice.notify.api.sns;

import dev.sluice.clientsdk.SnsError;
import dev.sluice.clientsdk.query.XmlWriter;
import java.util.Map;
import java.util.function.Consumer;

/** SNS's XML answers: {@code <ActionResponse><ActionResult>...}, attribute maps, errors. Stateless. */
final class SnsXml {
    static final String NAMESPACE = "http://sns.amazonaws.com/doc/2010-03-31/";

    private SnsXml() {
    }

    /** A success answer; {@code result} writes the result's members, or null for an action without a result. */
    static SnsHttpResponse success(String action, String requestId, Consumer<XmlWriter> result) {
        XmlWriter xml = new XmlWriter().openRoot(action + "Response", NAMESPACE);
        if (result != null) {
            xml.open(action + "Result");
            result.accept(xml);
            xml.close(action + "Result");
        }
        xml.open("ResponseMetadata").element("RequestId", requestId).close("ResponseMetadata");
        return new SnsHttpResponse(200, xml.close(action + "Response").toBytes());
    }

    static SnsHttpResponse error(SnsError error, String message, String requestId) {
        XmlWriter xml = new XmlWriter().openRoot("ErrorResponse", NAMESPACE).open("Error")
                .element("Type", error.faultType()).element("Code", error.code())
                .element("Message", message == null ? error.defaultMessage() : message).close("Error")
                .element("RequestId", requestId).close("ErrorResponse");
        return new SnsHttpResponse(error.httpStatus(), xml.toBytes(), error.code());
    }

    /** {@code <Attributes><entry><key/><value/></entry>...</Attributes>}. */
    static void attributes(XmlWriter xml, Map<String, String> attributes) {
        xml.open("Attributes");
        attributes.forEach((key, value) -> xml.open("entry").element("key", key).element("value", value).close("entry"));
        xml.close("Attributes");
    }
}
