package dev.sluice.clientsdk.query;

import java.nio.charset.StandardCharsets;

/**
 * A minimal streaming XML writer for Query protocol answers. Escapes text so that a conforming
 * parser returns it unchanged (carriage returns as {@code &#xD;}, which parsers would otherwise
 * turn into line feeds and break the body's MD5). Confined to one thread.
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
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> xml.append("&amp;");
                case '<' -> xml.append("&lt;");
                case '>' -> xml.append("&gt;");
                case '"' -> xml.append("&quot;");
                case '\'' -> xml.append("&apos;");
                case '\r' -> xml.append("&#xD;");
                default -> xml.append(c);
            }
        }
    }
}
