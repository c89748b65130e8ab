package dev.sluice.notify.service;

import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Sends email subscriptions' messages through the configured SMTP server: plain SMTP (no TLS, no AUTH —
 * a local relay), one connection per message, on a Vert.x worker thread with connect and read timeouts.
 * Subject in RFC 2047 base64 when not ASCII, body base64 so no line or dot rule can break it.
 */
final class Mailer {
    private final Vertx vertx;
    private final NotifyConfig.Smtp smtp;
    private final InstantSource clock;

    Mailer(Vertx vertx, NotifyConfig.Smtp smtp, InstantSource clock) {
        this.vertx = vertx;
        this.smtp = smtp;
        this.clock = clock;
    }

    /** Completes with true once the server accepted the message (250 after DATA). */
    CompletableFuture<Boolean> send(String to, String subject, String body) {
        return vertx.executeBlocking(() -> deliver(to, subject, body), false).toCompletionStage().toCompletableFuture();
    }

    private boolean deliver(String to, String subject, String body) throws IOException {
        try (Socket socket = new Socket()) {
            int timeout = (int) smtp.timeout().toMillis();
            socket.connect(new InetSocketAddress(smtp.host(), smtp.port()), timeout);
            socket.setSoTimeout(timeout);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            expect(in, 220);
            command(out, in, "EHLO sluice", 250);
            command(out, in, "MAIL FROM:<" + smtp.from() + ">", 250);
            command(out, in, "RCPT TO:<" + to + ">", 250);
            command(out, in, "DATA", 354);
            String message = "From: " + smtp.from() + "\r\nTo: " + to + "\r\nSubject: " + header(subject)
                    + "\r\nDate: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().atZone(ZoneOffset.UTC))
                    + "\r\nMessage-ID: <" + UUID.randomUUID() + "@sluice>\r\nMIME-Version: 1.0"
                    + "\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                    + Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(body.getBytes(StandardCharsets.UTF_8)) + "\r\n.";
            command(out, in, message, 250);
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return true;
        }
    }

    private static String header(String text) {
        boolean ascii = text.chars().allMatch(c -> c >= 0x20 && c < 0x7F);
        return ascii ? text : "=?UTF-8?B?" + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    private static void command(OutputStream out, BufferedReader in, String line, int expected) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        expect(in, expected);
    }

    /** Reads a (possibly multi-line) reply and checks its code. */
    private static void expect(BufferedReader in, int expected) throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null || line.length() < 3) {
                throw new IOException("SMTP server closed the connection");
            }
        } while (line.length() > 3 && line.charAt(3) == '-');
        if (Integer.parseInt(line.substring(0, 3)) != expected) {
            throw new IOException("SMTP server answered " + line + ", expected " + expected);
        }
    }
}
