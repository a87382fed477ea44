package org.ttyaudit.recorder.upload;

import org.ttyaudit.core.transport.CertificateFingerprint;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * What a host needs to ship sessions to its audit server, as stored in the host credential file
 * (docs/INGEST.md, "Enrollment").
 *
 * @param server      the server's base URL ({@code https://audit.example:8443}; {@code http} only to a loopback
 *                    address, where nothing crosses the network)
 * @param fingerprint the pinned server certificate ({@code sha256:…}), or null to trust the system's CAs
 * @param hostId      the host's id at the server
 * @param credential  the bearer credential ({@code tth_…}); secret: never logged, and {@link #toString()} hides it
 */
public record HostCredential(URI server, String fingerprint, String hostId, String credential) {
    public HostCredential {
        server = checkServer(server);
        if (fingerprint != null) {
            fingerprint = CertificateFingerprint.parse(fingerprint).toString();
        }
        if (hostId == null || hostId.isBlank()) {
            throw new IllegalArgumentException("host_id is missing");
        }
        if (credential == null || credential.isBlank()) {
            throw new IllegalArgumentException("credential is missing");
        }
        if (credential.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            throw new IllegalArgumentException("credential holds characters that cannot go in an HTTP header");
        }
    }

    /**
     * Checks a server URL and returns it without a trailing slash: {@code https}, or {@code http} to a loopback
     * address only, with a host and no query or fragment.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static URI checkServer(URI server) {
        Objects.requireNonNull(server, "server");
        String scheme = server.getScheme() == null ? "" : server.getScheme().toLowerCase(Locale.ROOT);
        if (server.getHost() == null || server.getRawQuery() != null || server.getRawFragment() != null
                || server.getRawUserInfo() != null) {
            throw new IllegalArgumentException("the server URL must be https://HOST[:PORT][/PATH], not " + server);
        }
        if (!scheme.equals("https") && !(scheme.equals("http") && isLoopback(server.getHost()))) {
            throw new IllegalArgumentException("the server URL must start with https:// (plain http only to this "
                    + "machine's loopback address), not " + server);
        }
        String s = server.toString();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return URI.create(s);
    }

    /** Parses and checks a server URL given as text. */
    public static URI parseServer(String text) {
        try {
            return checkServer(new URI(text.trim()));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + text);
        }
    }

    private static boolean isLoopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!h.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false; // a name: resolving it could give any address
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress(); // a literal: no look-up happens
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "HostCredential[server=" + server + ", fingerprint=" + fingerprint + ", hostId=" + hostId
                + ", credential=(hidden)]";
    }
}
