package org.ttyaudit.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ttyaudit.core.config.ConfigNode;
import org.ttyaudit.server.store.Store;
import org.ttyaudit.server.store.postgres.DatabaseConfig;
import org.ttyaudit.server.store.postgres.PostgresSettings;
import org.ttyaudit.server.store.postgres.PostgresStore;
import org.ttyaudit.server.store.sqlite.SqliteStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Picks the server's store: PostgreSQL when the {@code database:} section of the settings or the
 * {@code TTYAUDIT_DATABASE_URL} environment variable names a database ({@link DatabaseConfig}), else the embedded
 * SQLite database {@code server.db} in the data directory. Part of the server's wiring, the one place that names
 * the store implementations.
 */
public final class StoreFactory {
    private static final Logger log = LoggerFactory.getLogger(StoreFactory.class);

    private StoreFactory() {
    }

    /**
     * @throws org.ttyaudit.core.config.ConfigException when the database settings are not valid
     * @throws org.ttyaudit.server.store.StoreException  when the store cannot be opened
     */
    static Store open(ServerSettings settings, Path dataDir) {
        return open(settings, dataDir, System.getenv(), Clock.systemUTC());
    }

    static Store open(ServerSettings settings, Path dataDir, Map<String, String> env, Clock clock) {
        Optional<PostgresSettings> postgres = postgres(settings.database(), env);
        if (postgres.isPresent()) {
            PostgresSettings p = postgres.get();
            // never the password: the address and the role only
            log.info("store: PostgreSQL {} as {} (tls {})", p.displayUrl(), p.user(), p.tls().mode());
            return PostgresStore.open(p, clock);
        }
        return SqliteStore.open(dataDir.resolve(AuditServer.DATABASE));
    }

    /**
     * The PostgreSQL database the settings' {@code database:} section (or the environment) names, or empty for
     * the embedded store: the choice {@link #open} makes, for tools that work on the server's store
     * ({@code ttyaudit migrate}).
     *
     * @throws org.ttyaudit.core.config.ConfigException when the database settings are not valid
     */
    public static Optional<PostgresSettings> postgres(ConfigNode databaseSection, Map<String, String> env) {
        return DatabaseConfig.parse(databaseSection, env);
    }

    /**
     * Opens the server's store without changing it, for checking it ({@code ttyaudit verify --data}): PostgreSQL
     * when the section names a database ({@link PostgresStore#openExisting}: no schema migration), else the data
     * directory's SQLite database read-only.
     *
     * @throws IllegalArgumentException when the embedded store is chosen and the data directory has none
     * @throws org.ttyaudit.core.config.ConfigException when the database settings are not valid
     * @throws org.ttyaudit.server.store.StoreException  when the store cannot be opened
     */
    public static Store openForChecking(ConfigNode databaseSection, Path dataDir, Map<String, String> env) {
        Optional<PostgresSettings> postgres = postgres(databaseSection, env);
        if (postgres.isPresent()) {
            return PostgresStore.openExisting(postgres.get(), Clock.systemUTC());
        }
        Path database = dataDir.resolve(AuditServer.DATABASE);
        if (!Files.isRegularFile(database)) {
            throw new IllegalArgumentException(dataDir + " is not a ttyaudit server's data directory: it has no "
                    + AuditServer.DATABASE + " (and the settings name no PostgreSQL database)");
        }
        return SqliteStore.openReadOnly(database);
    }
}
