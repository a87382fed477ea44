package org.ttyaudit.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ttyaudit.server.store.Store;
import org.ttyaudit.server.store.postgres.DatabaseConfig;
import org.ttyaudit.server.store.postgres.PostgresSettings;
import org.ttyaudit.server.store.postgres.PostgresStore;
import org.ttyaudit.server.store.sqlite.SqliteStore;

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
final class StoreFactory {
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
        Optional<PostgresSettings> postgres = DatabaseConfig.parse(settings.database(), env);
        if (postgres.isPresent()) {
            PostgresSettings p = postgres.get();
            // never the password: the address and the role only
            log.info("store: PostgreSQL {} as {} (tls {})", p.displayUrl(), p.user(), p.tls().mode());
            return PostgresStore.open(p, clock);
        }
        return SqliteStore.open(dataDir.resolve(AuditServer.DATABASE));
    }
}
