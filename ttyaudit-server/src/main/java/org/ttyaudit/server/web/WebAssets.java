package org.ttyaudit.server.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

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
 * Serves the web UI's static files (built by the {@code ttyaudit-web} module into the jar) from one classpath
 * folder: {@code /} is {@code index.html}, every other path names a file below the folder. Every answer, also a
 * 404, carries the UI's security headers ({@link #CONTENT_SECURITY_POLICY}, {@code nosniff}, no referrer), so a
 * file can never run scripts from elsewhere or be framed.
 *
 * <p>Only paths made of plain segments ({@code [A-Za-z0-9_][A-Za-z0-9._-]*}, so no {@code ..}, no hidden files,
 * no backslashes or encoded separators) that end in a known file type are looked up; anything else is a 404
 * before the classpath is touched, which is what keeps {@code ../} and directory listings out. Files are read
 * once and kept in memory (the UI is a few hundred KiB), each with a strong ETag.
 *
 * <p>Thread-safe.
 */
public final class WebAssets {
    /** Where the front-end module puts the UI in the jar. */
    public static final String DEFAULT_ROOT = "/org/ttyaudit/web/";
    /**
     * The UI loads nothing from elsewhere: scripts, styles and connections go only to this server.
     * {@code 'wasm-unsafe-eval'} lets the page compile WebAssembly (asciinema-player's terminal emulator is a
     * WebAssembly module inside its script; without it Chromium refuses it and the player stays blank). It does
     * not allow eval of JavaScript.
     */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; connect-src 'self'; img-src 'self' data:;"
            + " style-src 'self' 'unsafe-inline'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none';"
            + " frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    /** Set on a request this class answered, so the server's JSON 404 handler leaves the answer alone. */
    public static final String ANSWERED = "ttyaudit.web-assets";

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*");
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json; charset=utf-8"),
            Map.entry("map", "application/json; charset=utf-8"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("woff", "font/woff"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("wasm", "application/wasm"));

    private final String root;
    /** Only files found are kept: misses are not, so requests for made-up names cannot grow the map. */
    private final Map<String, Asset> cache = new ConcurrentHashMap<>();

    /** @param root the classpath folder holding {@code index.html}, with leading and trailing {@code /} */
    public WebAssets(String root) {
        if (!root.startsWith("/") || !root.endsWith("/")) {
            throw new IllegalArgumentException("the web UI's classpath folder must start and end with '/': " + root);
        }
        this.root = root;
    }

    /**
     * Registers {@code GET /} and {@code GET /<path>}. Register it after every other route: it takes the paths
     * nothing else took (an unknown {@code /api/} path is left to the API's JSON 404).
     */
    public void register(RoutesConfig routes) {
        routes.get("/", ctx -> serve(ctx, "index.html"));
        routes.get("/<path>", ctx -> {
            if (ctx.path().startsWith("/api/")) {
                ctx.status(404);   // the API's 404 handler answers in JSON
                return;
            }
            serve(ctx, ctx.pathParam("path"));
        });
    }

    /** Whether the classpath holds a UI at all. */
    public boolean present() {
        return asset("index.html").isPresent();
    }

    private void serve(Context ctx, String path) {
        ctx.attribute(ANSWERED, Boolean.TRUE);
        securityHeaders(ctx);
        Optional<Asset> asset = valid(path) ? asset(path) : Optional.empty();
        if (asset.isEmpty()) {
            String message = present() ? "not found: /" + path
                    : "the web UI is not built into this server (build it with the ttyaudit-web module; the API is"
                    + " under /api/v1)";
            ctx.status(404).contentType("text/plain; charset=utf-8").result(message + "\n");
            return;
        }
        Asset a = asset.get();
        // index.html names the other files without version hashes: every use revalidates (cheap with the ETag).
        ctx.header("Cache-Control", "no-cache");
        ctx.header("ETag", a.etag());
        if (a.etag().equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        ctx.status(200).contentType(a.contentType()).result(a.bytes());
    }

    /** The headers every UI answer carries (docs/SECURITY.md, "Web UI"). */
    public static void securityHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
    }

    private static boolean valid(String path) {
        if (path.isEmpty() || path.length() > 512) {
            return false;
        }
        for (String segment : path.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches()) {
                return false;
            }
        }
        return TYPES.containsKey(extension(path));
    }

    private static String extension(String path) {
        int dot = path.lastIndexOf('.');
        int slash = path.lastIndexOf('/');
        return dot <= slash + 1 ? "" : path.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private Optional<Asset> asset(String path) {
        Asset cached = cache.get(path);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Asset> loaded = load(path);
        loaded.ifPresent(a -> cache.put(path, a));
        return loaded;
    }

    private Optional<Asset> load(String path) {
        try (InputStream in = WebAssets.class.getResourceAsStream(root + path)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            return Optional.of(new Asset(TYPES.get(extension(path)), bytes, etag(bytes)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the UI file " + root + path, e);
        }
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(d, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private record Asset(String contentType, byte[] bytes, String etag) {
    }
}
