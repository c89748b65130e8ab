package dev.sluice.clientsdk.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class XmlWriterTest {

    private static String parsedText(byte[] xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(xml))
                .getDocumentElement().getTextContent();
    }

    @Test
    void charactersXmlCannotCarryAreWrittenAsReplacementCharacters() throws Exception {
        byte[] xml = new XmlWriter().element("Message", "Action Send\u0000Message\u0001\ud800\uFFFE<&>\r\n\t\uD83D\uDE00")
                .toBytes();
        assertEquals("Action Send\uFFFDMessage\uFFFD\uFFFD\uFFFD<&>\r\n\t\uD83D\uDE00", parsedText(xml));
    }

    @Property(tries = 200)
    void anyTextMakesWellFormedXmlThatReadsBackWithOnlyIllegalCharactersReplaced(@ForAll String text)
            throws Exception {
        StringBuilder expected = new StringBuilder();
        text.codePoints().forEach(c -> expected.appendCodePoint(XmlWriter.isXmlCharacter(c) ? c : 0xFFFD));
        assertEquals(expected.toString(), parsedText(new XmlWriter().element("Value", text).toBytes()));
    }
}
