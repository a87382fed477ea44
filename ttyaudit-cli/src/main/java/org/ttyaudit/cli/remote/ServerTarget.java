package org.ttyaudit.cli.remote;

import org.ttyaudit.cli.UserError;

import java.util.Map;
import java.util.Optional;

/**
 * The server a command talks to, how its certificate is checked, and the token to send, chosen from command-line
 * flags, the environment and the saved {@link ClientConfig}:
 * <ul>
 *   <li>server: {@code --server}, else {@code TTYAUDIT_SERVER}, else the saved server;</li>
 *   <li>fingerprint: {@code --fingerprint}, else {@code TTYAUDIT_FINGERPRINT}, else the saved one;</li>
 *   <li>token: {@code TTYAUDIT_TOKEN}, else the saved one (there is no token flag: command lines are visible to
 *       every user of the machine in {@code ps}).</li>
 * </ul>
 * The saved fingerprint and token are used only when the chosen server is the saved server, so a token is never
 * sent to a server other than the one that issued it.
 *
 * @param url         normalized ({@link ServerUrl})
 * @param fingerprint the pinned certificate fingerprint; null: trust the system's CAs
 * @param token       the API token; null when none is known (only {@code login} works then)
 * @param tokenOrigin where the token came from, for messages ({@code TTYAUDIT_TOKEN} or the file's path)
 */
public record ServerTarget(String url, String fingerprint, String token, String tokenOrigin) {
    public static final String ENV_SERVER = "TTYAUDIT_SERVER";
    public static final String ENV_FINGERPRINT = "TTYAUDIT_FINGERPRINT";
    public static final String ENV_TOKEN = "TTYAUDIT_TOKEN";

    public ServerTarget {
        url = ServerUrl.normalize(url);
    }

    /**
     * Resolves the target as described above; empty when no server is named anywhere.
     *
     * @param serverFlag      {@code --server}, or null
     * @param fingerprintFlag {@code --fingerprint}, or null
     * @param saved           the saved configuration, if any
     * @param savedAt         where it was saved (for messages)
     * @throws UserError when a given URL or fingerprint is malformed
     */
    public static Optional<ServerTarget> resolve(String serverFlag, String fingerprintFlag, Map<String, String> env,
                                                 Optional<ClientConfig> saved, String savedAt) {
        String server = first(serverFlag, env.get(ENV_SERVER), saved.map(ClientConfig::server).orElse(null));
        if (server == null) {
            return Optional.empty();
        }
        String url;
        try {
            url = ServerUrl.normalize(server);
        } catch (IllegalArgumentException e) {
            throw UserError.usage(origin(serverFlag, env.get(ENV_SERVER), "--server", ENV_SERVER) + ": "
                    + e.getMessage());
        }
        Optional<ClientConfig> forThisServer = saved.filter(c -> c.server().equals(url));
        String fingerprint = first(fingerprintFlag, env.get(ENV_FINGERPRINT),
                forThisServer.map(ClientConfig::fingerprint).orElse(null));
        if (fingerprint != null) {
            try {
                fingerprint = org.ttyaudit.core.transport.CertificateFingerprint.parse(fingerprint).toString();
            } catch (IllegalArgumentException e) {
                throw UserError.usage(origin(fingerprintFlag, env.get(ENV_FINGERPRINT), "--fingerprint",
                        ENV_FINGERPRINT) + ": " + e.getMessage());
            }
        }
        String envToken = blankToNull(env.get(ENV_TOKEN));
        if (envToken != null) {
            envToken = envToken.trim();
            if (envToken.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
                // Say what is wrong without echoing the secret.
                throw UserError.usage(ENV_TOKEN + " has spaces or control characters inside; it must be one API "
                        + "token");
            }
            return Optional.of(new ServerTarget(url, fingerprint, envToken, ENV_TOKEN));
        }
        return Optional.of(new ServerTarget(url, fingerprint, forThisServer.map(ClientConfig::token).orElse(null),
                savedAt));
    }

    /** This target, when it has a token. */
    public ServerTarget requireToken() {
        if (token == null) {
            throw UserError.failure("not logged in to " + url + ": run ttyaudit login --server " + url
                    + " (or set " + ENV_TOKEN + ")");
        }
        return this;
    }

    @Override
    public String toString() {
        return "ServerTarget[url=" + url + ", fingerprint=" + fingerprint + ", token from " + tokenOrigin + "]";
    }

    private static String origin(String flag, String env, String flagName, String envName) {
        return blankToNull(flag) != null ? flagName : blankToNull(env) != null ? envName : "the saved server";
    }

    private static String first(String... values) {
        for (String v : values) {
            if (blankToNull(v) != null) {
                return v;
            }
        }
        return null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
