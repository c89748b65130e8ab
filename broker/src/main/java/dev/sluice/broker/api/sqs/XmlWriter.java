package dev.sluice.broker.api.sqs;

import java.nio.charset.StandardCharsets;

/**
 * A minimal streaming XML writer for Query protocol answers. Escapes text so that a conforming
 * parser returns it unchanged (carriage returns as {@code &#xD;}, which parsers would otherwise
 * turn into line feeds and break the body's MD5). Confined to one thread.
 */
final class XmlWriter {

    static final String NAMESPACE = "http://queue.amazonaws.com/doc/2012-11-05/";

    private final StringBuilder xml = new StringBuilder(256).append("<?xml version=\"1.0\"?>");

    XmlWriter open(String name) {
        xml.append('<').append(name).append('>');
        return this;
    }

    XmlWriter openRoot(String name) {
        xml.append('<').append(name).append(" xmlns=\"").append(NAMESPACE).append("\">");
        return this;
    }

    XmlWriter close(String name) {
        xml.append("</").append(name).append('>');
        return this;
    }

    /** An element with text; nothing when the value is null (SQS omits absent members). */
    XmlWriter element(String name, Object value) {
        if (value != null) {
            open(name);
            escape(value.toString());
            close(name);
        }
        return this;
    }

    XmlWriter empty(String name) {
        xml.append('<').append(name).append("/>");
        return this;
    }

    byte[] toBytes() {
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
