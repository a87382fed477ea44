package org.ttyaudit.cli.remote;

import org.ttyaudit.core.transport.CertificateFingerprint;

import java.util.Objects;

/**
 * What {@code ttyaudit login} saves: the server, the pinned certificate fingerprint (null: the system's CAs are
 * trusted), the API token and its id (to revoke it at logout), and the user name (for messages).
 *
 * <p>The token is a secret: {@link #toString()} leaves it out, and nothing in the CLI prints it.
 */
public record ClientConfig(String server, String fingerprint, String token, String tokenId, String user) {
    public ClientConfig {
        server = ServerUrl.normalize(server);
        if (fingerprint != null && fingerprint.isBlank()) {
            fingerprint = null;
        }
        if (fingerprint != null) {
            fingerprint = CertificateFingerprint.parse(fingerprint).toString();
        }
        Objects.requireNonNull(token, "token");
        if (token.isBlank() || token.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            throw new IllegalArgumentException("the token is empty or has spaces or control characters");
        }
    }

    @Override
    public String toString() {
        return "ClientConfig[server=" + server + ", fingerprint=" + fingerprint + ", tokenId=" + tokenId
                + ", user=" + user + "]";
    }
}
