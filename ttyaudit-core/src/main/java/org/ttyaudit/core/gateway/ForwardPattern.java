package org.ttyaudit.core.gateway;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A destination a port forward may go to, as written in a rule's {@code port_forwarding} list: {@code host:port}
 * where the host is a name or address as the target resolves it (compared without regard to case), {@code *} for
 * any host, and the port a number or {@code *} for any port. IPv6 addresses go in brackets:
 * {@code [::1]:5432}. Immutable.
 *
 * @param host the host in lower case, or {@code *}
 * @param port 1..65535, or 0 for any port
 */
public record ForwardPattern(String host, int port) {
    public static final String ANY_HOST = "*";
    public static final int ANY_PORT = 0;
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:%-]{1,253}");

    public ForwardPattern {
        if (host == null || !(host.equals(ANY_HOST) || HOST.matcher(host).matches())) {
            throw new IllegalArgumentException("bad host in a forward pattern: " + host);
        }
        host = host.toLowerCase(Locale.ROOT);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1..65535");
        }
    }

    /**
     * Parses {@code host:port}.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static ForwardPattern parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a forward pattern is host:port, not an empty value");
        }
        String t = text.strip();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new IllegalArgumentException("'" + t + "' is not host:port (e.g. localhost:5432, *:80, db1:*)");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("'" + t + "': write an IPv6 address in brackets, e.g. [::1]:5432");
        }
        String portText = t.substring(colon + 1);
        int port;
        if (portText.equals("*")) {
            port = ANY_PORT;
        } else {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + t + "': the port must be a number or *, not '" + portText
                        + "'");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("'" + t + "': port " + port + " is outside 1..65535");
            }
        }
        try {
            return new ForwardPattern(host, port);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + t + "': the host may have letters, digits, '.', '-', ':' (in"
                    + " brackets) or be *");
        }
    }

    /** Whether a forward to {@code toHost:toPort} is covered by this pattern. */
    public boolean matches(String toHost, int toPort) {
        boolean hostOk = host.equals(ANY_HOST) || (toHost != null && host.equals(unbracket(toHost)
                .toLowerCase(Locale.ROOT)));
        return hostOk && (port == ANY_PORT || port == toPort);
    }

    private static String unbracket(String h) {
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    /** As written in the configuration (the form {@link #parse} reads). */
    @Override
    public String toString() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return h + ":" + (port == ANY_PORT ? "*" : Integer.toString(port));
    }
}
