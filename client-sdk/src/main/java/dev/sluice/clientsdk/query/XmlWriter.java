package dev.sluice.clientsdk.query;

import java.nio.charset.StandardCharsets;

/**
 * A minimal streaming XML writer for Query protocol answers (SQS and SNS). Escapes text so that a
 * conforming parser returns it unchanged (carriage returns as {@code &#xD;}, which parsers would
 * otherwise turn into line feeds and break the body's MD5). A character XML 1.0 cannot carry at all,
 * not even as a reference (NUL and the other C0 controls but tab, LF and CR; U+FFFE, U+FFFF; an
 * unpaired surrogate), is written as U+FFFD: the answer stays well-formed whatever an error message
 * echoes. Stored text never holds such characters (message bodies and attribute values are refused
 * with them), so only echoed input is ever replaced. Confined to one thread.
 */
public final class XmlWriter {

    private final StringBuilder xml = new StringBuilder(256).append("<?xml version=\"1.0\"?>");

    public XmlWriter open(String name) {
        xml.append('<').append(name).append('>');
        return this;
    }

    /** The root element, in the service's XML namespace. */
    public XmlWriter openRoot(String name, String namespace) {
        xml.append('<').append(name).append(" xmlns=\"").append(namespace).append("\">");
        return this;
    }

    public XmlWriter close(String name) {
        xml.append("</").append(name).append('>');
        return this;
    }

    /** An element with text; nothing when the value is null (SQS omits absent members). */
    public XmlWriter element(String name, Object value) {
        if (value != null) {
            open(name);
            escape(value.toString());
            close(name);
        }
        return this;
    }

    public XmlWriter empty(String name) {
        xml.append('<').append(name).append("/>");
        return this;
    }

    public byte[] toBytes() {
        return xml.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void escape(String text) {
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            switch (c) {
                case '&' -> xml.append("&amp;");
                case '<' -> xml.append("&lt;");
                case '>' -> xml.append("&gt;");
                case '"' -> xml.append("&quot;");
                case '\'' -> xml.append("&apos;");
                case '\r' -> xml.append("&#xD;");
                default -> xml.appendCodePoint(isXmlCharacter(c) ? c : REPLACEMENT_CHARACTER);
            }
        }
    }

    private static final int REPLACEMENT_CHARACTER = 0xFFFD;

    /**
     * True when every character of {@code text} is one XML 1.0 can carry; SQS allows exactly these in
     * message bodies and attribute values, so its validation asks here too.
     */
    public static boolean isXmlText(String text) {
        // A char loop, not codePoints().allMatch: this runs over every message body and string attribute on the
        // event loop, and the stream cost a lambda call per character. A surrogate pair is one supplementary code
        // point (always allowed); a lone surrogate is not a character.
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < Character.MIN_SURROGATE) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (!isXmlCharacter(c)) {
                return false;
            }
        }
        return true;
    }

    /** XML 1.0's Char production; a lone surrogate arrives here as its own code point and is not one. */
    public static boolean isXmlCharacter(int c) {
        return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
                || (c >= 0x10000 && c <= 0x10FFFF);
    }
}
