package org.ttyaudit.server.store.postgres;

import org.ttyaudit.server.store.ForwardingStoreContract;
import org.ttyaudit.server.store.Store;

import java.time.Clock;

/** The forwarding store's contract on a real PostgreSQL, each test on a database of its own. */
class PostgresForwardingStoreTest extends ForwardingStoreContract {
    private PostgresSettings database;

    @Override
    protected Store openStore() {
        if (database == null) {
            database = PostgresCluster.get().newDatabase();
        }
        return PostgresStore.open(database, Clock.systemUTC());
    }
}
