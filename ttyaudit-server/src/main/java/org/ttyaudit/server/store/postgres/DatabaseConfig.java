package org.ttyaudit.server.store.postgres;

import org.ttyaudit.core.config.ConfigException;
import org.ttyaudit.core.config.ConfigNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the PostgreSQL settings from the {@code database:} section of server.yaml and the environment; a variable
 * that is set overrides the key of the file:
 *
 * <pre>
 * database:                               # environment variable overriding it
 *   url: postgres://db.example:5432/audit  # TTYAUDIT_DATABASE_URL
 *   user: ttyaudit                         # TTYAUDIT_DATABASE_USER (or the URL's user)
 *   password_file: /etc/ttyaudit/db-pw     # TTYAUDIT_DATABASE_PASSWORD_FILE (or the URL's password)
 *   pool_size: 10                          # TTYAUDIT_DATABASE_POOL_SIZE
 *   tls: verify-full                       # TTYAUDIT_DATABASE_TLS: disable | require | verify-ca | verify-full
 *   tls_ca: /etc/ttyaudit/db-ca.pem        # TTYAUDIT_DATABASE_TLS_CA
 * </pre>
 *
 * With no URL in either place the server uses its embedded store. The password is read from a file (not written
 * in server.yaml, which is often world-readable and kept in version control) and is never printed: errors name
 * the file, the key or the variable, never the value.
 */
public final class DatabaseConfig {
    static final String URL = "TTYAUDIT_DATABASE_URL";
    static final String USER = "TTYAUDIT_DATABASE_USER";
    static final String PASSWORD_FILE = "TTYAUDIT_DATABASE_PASSWORD_FILE";
    static final String POOL_SIZE = "TTYAUDIT_DATABASE_POOL_SIZE";
    static final String TLS = "TTYAUDIT_DATABASE_TLS";
    static final String TLS_CA = "TTYAUDIT_DATABASE_TLS_CA";
    private static final String ENVIRONMENT = "environment";
    private static final int DEFAULT_POOL_SIZE = 10;

    private DatabaseConfig() {
    }

    /**
     * The PostgreSQL settings, or empty when neither the section nor the environment names a database URL.
     *
     * @param section the {@code database} section (an empty mapping when absent)
     * @param env     the environment ({@code System.getenv()} in the server)
     * @throws ConfigException naming the key or variable and what is wrong with it
     */
    public static Optional<PostgresSettings> parse(ConfigNode section, Map<String, String> env) {
        section.allowOnly(List.of("url", "user", "password_file", "pool_size", "tls", "tls_ca"));
        Value url = value(section, env, "url", URL);
        if (url == null) {
            if (!section.keys().isEmpty()) {
                throw section.error("database: url is missing (postgres://HOST:PORT/NAME), or remove the section"
                        + " to use the embedded store");
            }
            return Optional.empty();
        }
        PostgresSettings.Url parsed;
        try {
            parsed = PostgresSettings.Url.parse(url.text);
        } catch (IllegalArgumentException e) {
            throw url.error(e.getMessage());
        }
        Value user = value(section, env, "user", USER);
        Value passwordFile = value(section, env, "password_file", PASSWORD_FILE);
        if (passwordFile != null && parsed.password() != null) {
            throw passwordFile.error("the password is set twice, in the database URL and in a password file;"
                    + " keep only the file");
        }
        String password = passwordFile == null ? parsed.password() : readPassword(passwordFile);
        int poolSize = poolSize(section, env);
        Value tls = value(section, env, "tls", TLS);
        Value tlsCa = value(section, env, "tls_ca", TLS_CA);
        PostgresSettings.Tls mode;
        try {
            mode = tls == null ? PostgresSettings.Tls.VERIFY_FULL : PostgresSettings.Tls.of(tls.text);
        } catch (IllegalArgumentException e) {
            throw tls.error(e.getMessage());
        }
        if (tlsCa != null && !Files.isReadable(Path.of(tlsCa.text))) {
            throw tlsCa.error("cannot read the CA certificate file " + tlsCa.text);
        }
        String userName = user != null ? user.text : parsed.user();
        try {
            return Optional.of(new PostgresSettings(parsed.host(), parsed.port(), parsed.database(),
                    userName == null ? "" : userName, password, poolSize, mode, tlsCa == null ? null : tlsCa.text));
        } catch (IllegalArgumentException e) {
            throw url.error(e.getMessage());
        }
    }

    private static int poolSize(ConfigNode section, Map<String, String> env) {
        String fromEnv = env.get(POOL_SIZE);
        if (fromEnv != null && !fromEnv.isBlank()) {
            try {
                int n = Integer.parseInt(fromEnv.strip());
                if (n >= 1 && n <= 1000) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // the message below
            }
            throw new ConfigException(ENVIRONMENT, 0, POOL_SIZE + ": expected a whole number in 1..1000, not '"
                    + fromEnv + "'");
        }
        return (int) section.number("pool_size", DEFAULT_POOL_SIZE, 1, 1000);
    }

    private static String readPassword(Value file) {
        Path path = Path.of(file.text);
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw file.error("cannot read the database password file " + path + ": " + e.getClass().getSimpleName());
        }
        // a trailing newline is the editor's, not the password's
        String password = text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        if (password.isEmpty()) {
            throw file.error("the database password file " + path + " is empty");
        }
        return password;
    }

    /** A setting's text and where it came from (for errors). */
    private record Value(String text, ConfigNode node, String key, String variable) {
        ConfigException error(String reason) {
            return node != null ? node.error("database." + key + ": " + reason)
                    : new ConfigException(ENVIRONMENT, 0, variable + ": " + reason);
        }
    }

    private static Value value(ConfigNode section, Map<String, String> env, String key, String variable) {
        String fromEnv = env.get(variable);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new Value(fromEnv.strip(), null, key, variable);
        }
        Optional<ConfigNode> node = section.get(key);
        if (node.isEmpty() || node.get().isNull()) {
            return null;
        }
        String text = section.text(key);
        return text.isBlank() ? null : new Value(text.strip(), node.get(), key, variable);
    }
}
