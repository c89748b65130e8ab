package dev.sluice.broker.api.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web console: the static files under the classpath folder {@code console/} at {@code /console/}, and
 * {@code GET /} from a browser redirected there. Mounted before authentication: the files hold no data and no
 * secret (the console signs its own API calls), and an operator must reach the sign-in page unsigned.
 *
 * <p>Only flat file names of the form {@code name.ext} with a known extension are served, matched on the raw
 * path: no {@code /}, {@code ..}, {@code %} escape or other byte reaches the class loader, so no path leaves the
 * folder and no folder is listed. Files are read once and kept (the set is small and fixed in the jar; a name
 * not found is not remembered). Every answer carries an ETag (a client revalidates, {@code no-cache}, and gets
 * a 304 while the jar is unchanged), {@code nosniff} and a Content-Security-Policy that allows scripts and
 * styles from this origin only: even a page bug that put a message body into markup could not run it.
 * Runs on the event loop; resources are read from the jar on first use only (a few kilobytes).
 */
public final class ConsoleRoutes {
    /** Where the console lives; {@code GET /} from a browser is sent here. */
    public static final String PATH = "/console/";
    private static final String FOLDER = "console/";
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}\\.(html|css|js|svg|png)");
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png");
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final ClassLoader loader;
    private final Map<String, StaticFile> files = new ConcurrentHashMap<>();

    public ConsoleRoutes() {
        this(ConsoleRoutes.class.getClassLoader());
    }

    ConsoleRoutes(ClassLoader loader) {
        this.loader = loader;
    }

    /**
     * Adds the routes; call before the authentication handler and before the SQS routes on {@code /}. One route without
     * a path, dispatching on the raw path itself: a route with a path makes Vert.x decode every request's path to match
     * it, and a request whose path cannot be decoded would then fail before the authentication handler could answer it.
     */
    public void mount(Router router) {
        router.route().handler(this::dispatch);
    }

    private void dispatch(RoutingContext context) {
        HttpMethod method = context.request().method();
        String path = context.request().path();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD || path == null) {
            context.next();
        } else if (path.equals("/")) {
            if (method == HttpMethod.GET) {
                redirectBrowser(context);
            } else {
                context.next();
            }
        } else if (path.equals("/console")) {
            // Without its slash: the pages' relative links need the folder.
            redirect(context, PATH);
        } else if (path.startsWith(PATH)) {
            serve(context);
        } else {
            context.next();
        }
    }

    /**
     * A browser's {@code GET /}: no query (an SQS Query request or a subscription link has one), no
     * {@code X-Amz-Target}, and HTML accepted. Everything else goes on to the SQS and SNS routes unchanged.
     */
    private void redirectBrowser(RoutingContext context) {
        HttpServerRequest request = context.request();
        String query = request.query();
        String accept = request.getHeader("Accept");
        if ((query == null || query.isEmpty()) && request.getHeader("X-Amz-Target") == null
                && request.getHeader("Authorization") == null && accept != null
                && accept.toLowerCase(Locale.ROOT).contains("text/html")) {
            redirect(context, PATH);
        } else {
            context.next();
        }
    }

    private static void redirect(RoutingContext context, String location) {
        context.response().setStatusCode(302).putHeader("Location", location).putHeader("Cache-Control", "no-store").end();
    }

    private void serve(RoutingContext context) {
        String name = context.request().path().substring(PATH.length());
        if (name.isEmpty()) {
            name = "index.html";
        }
        Optional<StaticFile> file = FILE_NAME.matcher(name).matches() ? file(name) : Optional.empty();
        if (file.isEmpty()) {
            context.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8")
                    .putHeader("X-Content-Type-Options", "nosniff").end("Not found\n");
            return;
        }
        StaticFile found = file.get();
        var response = context.response().putHeader("Content-Type", found.contentType())
                .putHeader("ETag", found.etag()).putHeader("Cache-Control", "no-cache")
                .putHeader("X-Content-Type-Options", "nosniff").putHeader("Content-Security-Policy", POLICY)
                .putHeader("Referrer-Policy", "no-referrer");
        if (found.etag().equals(context.request().getHeader("If-None-Match"))) {
            response.setStatusCode(304).end();
        } else if (context.request().method() == HttpMethod.HEAD) {
            response.putHeader("Content-Length", Integer.toString(found.content().length())).end();
        } else {
            response.end(found.content());
        }
    }

    private Optional<StaticFile> file(String name) {
        StaticFile known = files.get(name);
        if (known != null) {
            return Optional.of(known);
        }
        try (InputStream in = loader.getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            StaticFile loaded = new StaticFile(Buffer.buffer(bytes),
                    CONTENT_TYPES.get(name.substring(name.lastIndexOf('.') + 1)), etag(bytes));
            files.put(name, loaded);
            return Optional.of(loaded);
        } catch (IOException e) {
            throw new UncheckedIOException("reading console file " + name, e);
        }
    }

    private static String etag(byte[] bytes) {
        try {
            return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256 (java.security.MessageDigest's contract).
            throw new IllegalStateException(e);
        }
    }

    private record StaticFile(Buffer content, String contentType, String etag) {
    }
}
