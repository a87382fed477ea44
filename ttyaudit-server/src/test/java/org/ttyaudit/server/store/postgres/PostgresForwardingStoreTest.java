package org.ttyaudit.server.store.postgres;

import org.ttyaudit.server.store.ForwardingStoreContract;
import org.ttyaudit.server.store.Store;

/** The forwarding store's contract on a real PostgreSQL, each test on a database of its own. */
class PostgresForwardingStoreTest extends ForwardingStoreContract {
    private final FreshDatabase database = new FreshDatabase();

    @Override
    protected Store openStore() {
        return database.open();
    }
}
