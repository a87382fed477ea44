package org.ttyaudit.server;

import org.ttyaudit.server.web.WebAssets;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a server runs: where its data lives, where it listens, its TLS certificate (null paths: a self-signed one
 * made in the data directory), extra names for that certificate, the URL hosts use to reach it (for the enroll
 * command shown with new tokens; null: derived from the listen address), how often tree heads are signed, and
 * the classpath folder the web UI is served from ({@link WebAssets#DEFAULT_ROOT} unless a test picks another),
 * and the settings file ({@link ServerSettings}: rules, notifications, capture policies; null:
 * {@code server.yaml} in the data directory when there is one).
 */
public record ServerConfig(Path dataDir, InetSocketAddress listen, Path tlsCert, Path tlsKey,
                           List<String> certificateNames, String publicUrl, Duration headInterval, String webRoot,
                           Path settingsFile) {
    public static final int DEFAULT_PORT = 8443;
    public static final Duration DEFAULT_HEAD_INTERVAL = Duration.ofSeconds(10);

    public ServerConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(listen, "listen");
        certificateNames = List.copyOf(certificateNames);
        Objects.requireNonNull(headInterval, "headInterval");
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
        Objects.requireNonNull(webRoot, "webRoot");
    }

    /** A server with the settings file of its data directory, if any. */
    public ServerConfig(Path dataDir, InetSocketAddress listen, Path tlsCert, Path tlsKey,
                        List<String> certificateNames, String publicUrl, Duration headInterval, String webRoot) {
        this(dataDir, listen, tlsCert, tlsKey, certificateNames, publicUrl, headInterval, webRoot, null);
    }

    /** The settings file in force: the one given, else {@code server.yaml} in the data directory (may not exist). */
    public Path settingsPath() {
        return settingsFile != null ? settingsFile : dataDir.resolve(ServerSettings.DEFAULT_FILE_NAME);
    }

    /** A server that serves the web UI built into the jar. */
    public ServerConfig(Path dataDir, InetSocketAddress listen, Path tlsCert, Path tlsKey,
                        List<String> certificateNames, String publicUrl, Duration headInterval) {
        this(dataDir, listen, tlsCert, tlsKey, certificateNames, publicUrl, headInterval, WebAssets.DEFAULT_ROOT);
    }
}
