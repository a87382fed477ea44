package org.ttyaudit.recorder.upload;

import org.ttyaudit.core.transport.CertificateFingerprint;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a host needs to ship sessions to its audit server, as stored in the host credential file
 * (docs/INGEST.md, "Enrollment").
 *
 * @param servers     the base URLs of the fleet's server instances, preferred first
 *                    ({@code https://audit.example:8443}; {@code http} only to a loopback address, where nothing crosses the network); at least one,
 *                    no two alike. The client fails over along this list ({@link ServerRotation}).
 * @param fingerprint the pinned server certificate ({@code sha256:…}), or null to trust the system's CAs; one pin
 *                    for every URL, as the instances of one fleet share one certificate (docs/DEPLOY.md)
 * @param hostId      the host's id at the server
 * @param credential  the bearer credential ({@code tth_…}); secret: never logged, and {@link #toString()} hides it
 */
public record HostCredential(List<URI> servers, String fingerprint, String hostId, String credential) {
    public HostCredential {
        servers = checkServers(servers);
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

    /** A credential for one server (the credential file's older form). */
    public HostCredential(URI server, String fingerprint, String hostId, String credential) {
        this(List.of(Objects.requireNonNull(server, "server")), fingerprint, hostId, credential);
    }

    /** The preferred server: the first of {@link #servers()}. */
    public URI server() {
        return servers.get(0);
    }

    /**
     * Checks a list of server URLs ({@link #checkServer} each): at least one, and no URL twice.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static List<URI> checkServers(List<URI> servers) {
        Objects.requireNonNull(servers, "servers");
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no server URL");
        }
        List<URI> checked = servers.stream().map(HostCredential::checkServer).toList();
        HashSet<URI> seen = new HashSet<>();
        for (URI u : checked) {
            if (!seen.add(u)) {
                throw new IllegalArgumentException("the server URL " + u + " is listed twice");
            }
        }
        return checked;
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
        return "HostCredential[servers=" + servers + ", fingerprint=" + fingerprint + ", hostId=" + hostId
                + ", credential=(hidden)]";
    }
}
