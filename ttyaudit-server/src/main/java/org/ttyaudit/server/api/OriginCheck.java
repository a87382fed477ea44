package org.ttyaudit.server.api;

import io.javalin.http.Context;

import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Refuses cross-site requests that ride on the browser's login cookie (CSRF) and cross-site WebSocket hijacking:
 * a browser adds the session cookie to requests another site's page makes, but it also names that page's origin
 * in the {@code Origin} header, which the page cannot change. So:
 * <ul>
 *   <li>an unsafe request (not GET, HEAD or OPTIONS) that presents the cookie and no {@code Authorization}
 *       header must carry an {@code Origin} equal to this server's own;</li>
 *   <li>an unsafe request that presents no credential at all (log in, enroll) may omit {@code Origin} (command
 *       line clients do), but if it carries one it must be this server's (no login CSRF);</li>
 *   <li>every WebSocket upgrade must carry this server's {@code Origin}: browsers do not apply CORS to
 *       WebSockets, and the cookie goes along with them.</li>
 * </ul>
 * A request with {@code Authorization: Bearer} is left alone: a page on another site cannot make the browser
 * send that header with a credential it does not know.
 *
 * <p>This server's origin is {@code https://} and the request's {@code Host} (the name the browser used to reach
 * it), or the origin of {@code --public-url} (a proxy in front). The cookie is also {@code SameSite=Strict}; this
 * check does not rely on it. Stateless; thread-safe.
 */
final class OriginCheck {
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final Supplier<String> publicUrl;

    /** @param publicUrl how clients reach this server ({@code --public-url}, else the listen address) */
    OriginCheck(Supplier<String> publicUrl) {
        this.publicUrl = publicUrl;
    }

    /** Checks an HTTP request after authentication; {@code cookie}: its credential came from the cookie. */
    void checkRequest(Context ctx, boolean cookie) {
        if (SAFE_METHODS.contains(ctx.method().name()) || ctx.header("Authorization") != null) {
            return;
        }
        String origin = ctx.header("Origin");
        if (origin == null && !cookie) {
            return;
        }
        require(ctx, origin);
    }

    /** Checks a WebSocket upgrade: {@code Origin} is required whatever the credential. */
    void checkUpgrade(Context ctx) {
        require(ctx, ctx.header("Origin"));
    }

    private void require(Context ctx, String origin) {
        String own = ownOrigin(ctx);
        if (origin == null) {
            throw ApiException.forbidden("cross-site request refused: this request needs an Origin header naming"
                    + " this server (" + own + ")");
        }
        String given = normalize(origin);
        if (given == null || !(given.equals(own) || given.equals(normalize(publicUrl.get())))) {
            throw ApiException.forbidden("cross-site request refused: Origin " + printable(origin)
                    + " is not this server (" + own + ")");
        }
    }

    private static String ownOrigin(Context ctx) {
        String host = ctx.header("Host");
        String own = host == null ? null : normalize("https://" + host);
        return own == null ? "https://<Host header>" : own;
    }

    /**
     * The origin of a URL: {@code scheme://host[:port]} in lower case without the default port (a path, as a
     * public URL behind a proxy may have, is not part of it); null when {@code origin} has no scheme or host
     * (e.g. the {@code null} origin of a sandboxed page).
     */
    static String normalize(String origin) {
        if (origin == null) {
            return null;
        }
        try {
            URI u = new URI(origin.trim());
            if (u.getScheme() == null || u.getHost() == null || u.getRawUserInfo() != null) {
                return null;
            }
            String scheme = u.getScheme().toLowerCase(Locale.ROOT);
            int port = u.getPort();
            boolean defaultPort = port == -1 || (scheme.equals("https") && port == 443)
                    || (scheme.equals("http") && port == 80);
            return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    private static String printable(String s) {
        String t = s.length() > 100 ? s.substring(0, 100) + "…" : s;
        return t.replaceAll("\\p{Cntrl}", "?");
    }
}
