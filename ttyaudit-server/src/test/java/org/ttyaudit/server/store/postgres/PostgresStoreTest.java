package org.ttyaudit.server.store.postgres;

import org.ttyaudit.server.store.Store;
import org.ttyaudit.server.store.StoreContract;

import java.time.Clock;

/** The store contract on a real PostgreSQL ({@link PostgresCluster}), each test on a database of its own. */
class PostgresStoreTest extends StoreContract {
    private PostgresSettings database;

    @Override
    protected Store openStore() {
        if (database == null) {
            database = PostgresCluster.get().newDatabase();
        }
        return PostgresStore.open(database, Clock.systemUTC());
    }
}
