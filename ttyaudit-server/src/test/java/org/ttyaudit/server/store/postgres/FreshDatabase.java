package org.ttyaudit.server.store.postgres;

import org.ttyaudit.server.store.Store;

import java.time.Clock;

/**
 * The database of one contract test: made on the first {@link #open} (a fresh copy of the template), the same
 * one for every later open in the test, so that a test can close its store and open it again.
 */
final class FreshDatabase {
    private PostgresSettings database;

    Store open() {
        if (database == null) {
            database = PostgresCluster.get().newDatabase();
        }
        return PostgresStore.open(database, Clock.systemUTC());
    }
}
