package dev.sluice.broker.api.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.RoutingContextInternal;

/**
 * Reads a request's body as the bytes received, up to a bound, for every method and content type, and leaves it
 * in {@link RoutingContext#body()}; a body over the bound fails the context with 413 (the route's failure handler
 * answers in its protocol). Nothing is decoded here.
 *
 * <p>Why not Vert.x's {@code BodyHandler}: for a form or multipart content type it decodes the body while it
 * reads it, before authentication: a {@code GET} or {@code HEAD} with such a type threw (500 on every route), a
 * broken {@code %} escape in a form or the query string failed the request before its signature was checked, and a
 * multipart body never reached {@code context.body()} at all. Here the authenticator sees exactly the bytes that
 * were signed, and the protocol decoders (SQS Query, SNS) are the only ones that read forms.
 *
 * <p>Setting the body goes through Vert.x Web's {@link RoutingContextInternal} (the interface its own
 * {@code BodyHandler} uses), and marks the body handled, so a later body handler on the same request is skipped.
 * Runs on the event loop; never blocks.
 */
public final class RawBodyHandler implements Handler<RoutingContext> {
    /** The most a body buffer reserves up front on a declared Content-Length; a longer body grows past it. */
    static final int PRESIZED_BODY_MAX_BYTES = 64 * 1024;

    private final long maxBodyBytes;

    /** @param maxBodyBytes the largest body read; a larger one is refused with 413 before or while it arrives */
    public RawBodyHandler(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void handle(RoutingContext context) {
        RoutingContextInternal internal = (RoutingContextInternal) context;
        if (internal.seenHandler(RoutingContextInternal.BODY_HANDLER)) {
            context.next();
            return;
        }
        internal.visitHandler(RoutingContextInternal.BODY_HANDLER);
        HttpServerRequest request = context.request();
        if (request.isEnded()) {
            internal.setBody(Buffer.buffer());
            context.next();
            return;
        }
        long declared = declaredLength(request);
        if (declared > maxBodyBytes) {
            context.fail(413);
            return;
        }
        if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))
                && request.version() != HttpVersion.HTTP_1_0) {
            context.response().writeContinue();
        }
        // Sized for the declared length, so the chunks are copied once rather than into one buffer after another as it
        // grows; capped, so a length a client claims but never sends reserves little.
        Buffer body = declared > 0 ? Buffer.buffer((int) Math.min(declared, PRESIZED_BODY_MAX_BYTES)) : Buffer.buffer();
        boolean[] refused = {false};
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (body.length() + (long) chunk.length() > maxBodyBytes) {
                refused[0] = true;
                context.fail(413);
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(failure -> {
            if (!refused[0]) {
                refused[0] = true;
                context.fail(400, failure);
            }
        });
        request.endHandler(ended -> {
            if (!refused[0]) {
                internal.setBody(body);
                context.next();
            }
        });
        request.resume();
    }

    /** The Content-Length, or -1 when absent or not a number (a chunked body is bounded while it arrives). */
    private static long declaredLength(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
