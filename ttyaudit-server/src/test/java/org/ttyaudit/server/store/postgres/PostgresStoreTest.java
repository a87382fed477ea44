package org.ttyaudit.server.store.postgres;

import org.ttyaudit.server.store.Store;
import org.ttyaudit.server.store.StoreContract;

/** The store contract on a real PostgreSQL ({@link PostgresCluster}), each test on a database of its own. */
class PostgresStoreTest extends StoreContract {
    private final FreshDatabase database = new FreshDatabase();

    @Override
    protected Store openStore() {
        return database.open();
    }
}
