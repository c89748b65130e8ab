package dev.sluice.broker.hostile;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** SNS Query requests as raw forms: parameters encoded as a client would, or pieces passed through as they are. */
final class SnsForms {
    private static final List<Map.Entry<String, String>> FORM = List.of(
            Map.entry("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"));

    private SnsForms() {
    }

    /** {@code name=value&...}, each side percent-encoded from UTF-8. */
    static String form(String... namesAndValues) {
        StringBuilder form = new StringBuilder("Version=2010-03-31");
        for (int i = 0; i < namesAndValues.length; i += 2) {
            form.append('&').append(URLEncoder.encode(namesAndValues[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(namesAndValues[i + 1], StandardCharsets.UTF_8));
        }
        return form.toString();
    }

    /** POSTs a form body given byte for byte (bad escapes and raw bytes included). */
    static RawHttp.Answer post(RawHttp http, byte[] body) throws IOException {
        return http.send("POST", "/", FORM, body);
    }

    static RawHttp.Answer post(RawHttp http, String body) throws IOException {
        return post(http, body.getBytes(StandardCharsets.ISO_8859_1));
    }
}
