package org.ttyaudit.server.store.postgres;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.net.URLDecoder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where the PostgreSQL store connects and how: the database's address, the role and its password, the pool size
 * and TLS. Built by {@link DatabaseConfig} from the {@code database:} section of server.yaml and the
 * {@code TTYAUDIT_DATABASE_*} environment variables.
 *
 * <p>{@link #toString} and {@link #displayUrl} never show the password (nor a password that was in the URL).
 *
 * @param host     the server's host name or address
 * @param port     its port
 * @param database the database name
 * @param user     the role to log in as
 * @param password its password; null to log in without one (a local trust or peer setup)
 * @param poolSize the most connections the store's reads use at once
 * @param tls      how TLS is used (the driver's sslmode)
 * @param tlsCa    the CA certificate file to verify the server with (sslrootcert), or null for the driver's
 *                 default ({@code ~/.postgresql/root.crt})
 */
public record PostgresSettings(String host, int port, String database, String user, String password, int poolSize,
                               Tls tls, String tlsCa) {

    /** The driver's sslmode values that ttyaudit accepts; {@code disable} only for a database on a trusted link. */
    public enum Tls {
        DISABLE("disable"), REQUIRE("require"), VERIFY_CA("verify-ca"), VERIFY_FULL("verify-full");

        private final String mode;

        Tls(String mode) {
            this.mode = mode;
        }

        public String mode() {
            return mode;
        }

        /** @throws IllegalArgumentException naming the accepted values */
        public static Tls of(String mode) {
            for (Tls t : values()) {
                if (t.mode.equals(mode)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown TLS mode '" + mode
                    + "' (expected disable, require, verify-ca or verify-full)");
        }
    }

    public PostgresSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(tls, "tls");
        if (host.isBlank()) {
            throw new IllegalArgumentException("the database URL has no host");
        }
        if (database.isBlank()) {
            throw new IllegalArgumentException("the database URL has no database name (postgres://HOST:PORT/NAME)");
        }
        if (user.isBlank()) {
            throw new IllegalArgumentException("no database user is set (database.user or TTYAUDIT_DATABASE_USER)");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("the database port " + port + " is outside 1..65535");
        }
        if (poolSize < 1 || poolSize > 1000) {
            throw new IllegalArgumentException("the database pool size " + poolSize + " is outside 1..1000");
        }
    }

    /** The parts of a {@code postgres://} or {@code postgresql://} URL (user and password in it are optional). */
    public record Url(String host, int port, String database, String user, String password) {
        public static final int DEFAULT_PORT = 5432;

        /** @throws IllegalArgumentException naming what is wrong, without repeating a password */
        public static Url parse(String url) {
            String text = url.strip();
            if (text.startsWith("jdbc:")) {
                text = text.substring("jdbc:".length());
            }
            URI uri;
            try {
                uri = new URI(text);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("the database URL is not a URL"
                        + " (expected postgres://HOST:PORT/NAME)");
            }
            if (!"postgres".equals(uri.getScheme()) && !"postgresql".equals(uri.getScheme())) {
                throw new IllegalArgumentException("the database URL must start with postgres:// or postgresql://");
            }
            if (uri.getRawQuery() != null) {
                throw new IllegalArgumentException("the database URL may not have ?parameters: set tls, tls_ca and"
                        + " pool_size in the database section instead");
            }
            String user = null;
            String password = null;
            if (uri.getRawUserInfo() != null) {
                String[] parts = uri.getRawUserInfo().split(":", 2);
                user = decode(parts[0]);
                password = parts.length > 1 ? decode(parts[1]) : null;
            }
            String path = uri.getPath() == null ? "" : uri.getPath();
            String database = path.startsWith("/") ? path.substring(1) : path;
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("the database URL has no host (expected postgres://HOST:PORT/NAME)");
            }
            return new Url(uri.getHost(), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(), database, user,
                    password);
        }

        private static String decode(String s) {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        }
    }

    /** The driver's URL: host, port and database only (credentials go to the pool separately). */
    String jdbcUrl() {
        String h = host.contains(":") ? "[" + host + "]" : host;   // an IPv6 address
        return "jdbc:postgresql://" + h + ":" + port + "/" + database;
    }

    /** The database's address for messages and logs: no user, no password. */
    public String displayUrl() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "postgres://" + h + ":" + port + "/" + database;
    }

    /** Driver settings: TLS, the application name the server shows in pg_stat_activity. */
    Map<String, String> driverProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("sslmode", tls.mode());
        if (tlsCa != null) {
            p.put("sslrootcert", tlsCa);
        }
        p.put("ApplicationName", "ttyaudit-server");
        return p;
    }

    @Override
    public String toString() {
        return "PostgresSettings[" + displayUrl() + ", user=" + user + ", password=" + (password == null ? "none"
                : "(set)") + ", poolSize=" + poolSize + ", tls=" + tls.mode() + ", tlsCa=" + tlsCa + "]";
    }
}
