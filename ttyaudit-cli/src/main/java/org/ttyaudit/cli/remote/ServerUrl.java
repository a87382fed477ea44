package org.ttyaudit.cli.remote;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The base URL of a ttyaudit server as the CLI keeps it: {@code https://host[:port][/prefix]}, without a
 * trailing slash, so that two spellings of the same server compare equal (the saved token is only ever sent to
 * the server it was made for). Stateless.
 */
public final class ServerUrl {
    private ServerUrl() {
    }

    /**
     * Normalizes what the user typed: {@code host:port} gets {@code https://}; plain {@code http://} is refused
     * (the token would travel in clear), and so are credentials, queries and fragments in the URL.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static String normalize(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("the server URL is empty");
        }
        String t = text.trim();
        if (!t.contains("://")) {
            t = "https://" + t;
        }
        URI u;
        try {
            u = new URI(t);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a server URL: " + text + " (" + e.getReason() + ")");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("http")) {
            throw new IllegalArgumentException("the server URL must use https (tokens must not travel in clear): "
                    + text);
        }
        if (!scheme.equals("https")) {
            throw new IllegalArgumentException("not a server URL (expected https://HOST:PORT): " + text);
        }
        if (u.getHost() == null || u.getHost().isBlank()) {
            throw new IllegalArgumentException("the server URL names no host: " + text);
        }
        if (u.getRawUserInfo() != null) {
            throw new IllegalArgumentException("the server URL must not carry a user name or password: "
                    + "use --user and the password prompt");
        }
        if (u.getRawQuery() != null || u.getRawFragment() != null) {
            throw new IllegalArgumentException("the server URL must not have a query or fragment: " + text);
        }
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String host = u.getHost().toLowerCase(Locale.ROOT);
        return "https://" + host + (u.getPort() >= 0 ? ":" + u.getPort() : "") + path;
    }
}
