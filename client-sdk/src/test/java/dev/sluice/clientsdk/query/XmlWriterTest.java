package dev.sluice.clientsdk.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.Random;
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

    @Test
    void xmlTextAcceptsExactlyTheCharactersOfXml10() {
        for (String allowed : new String[] {"", "plain", "\t\n\r", "\u0020\uD7FF\uE000\uFFFD", "\uD83D\uDE00",
                "a\uDBFF\uDFFFb", "\uD800\uDC00"}) {
            assertTrue(XmlWriter.isXmlText(allowed), () -> "allowed: " + escaped(allowed));
        }
        for (String refused : new String[] {"\u0000", "a\u001Fb", "\uFFFE", "\uFFFF", "\uD800", "x\uD83D",
                "\uDE00x", "\uDE00\uD83D", "ok\uD83D\uD83D\uDE00", "\u000B"}) {
            assertFalse(XmlWriter.isXmlText(refused), () -> "refused: " + escaped(refused));
        }
    }

    @Test
    void xmlTextAgreesWithTheCodePointDefinition() {
        Random random = new Random(29);
        char[] pool = {'a', ' ', '\t', '\n', '\r', '\u0000', '\u001F', '\u00e9', '\uD7FF', '\uD800', '\uDBFF', '\uDC00',
            '\uDFFF', '\uE000', '\uFFFD', '\uFFFE', '\uFFFF'};
        for (int run = 0; run < 20_000; run++) {
            char[] text = new char[random.nextInt(6)];
            for (int i = 0; i < text.length; i++) {
                text[i] = random.nextBoolean() ? pool[random.nextInt(pool.length)] : (char) random.nextInt(0x10000);
            }
            String candidate = new String(text);
            assertEquals(candidate.codePoints().allMatch(XmlWriter::isXmlCharacter), XmlWriter.isXmlText(candidate),
                    () -> escaped(candidate));
        }
    }

    private static String escaped(String text) {
        StringBuilder out = new StringBuilder();
        text.chars().forEach(c -> out.append(String.format("\\u%04X", c)));
        return out.toString();
    }
}
