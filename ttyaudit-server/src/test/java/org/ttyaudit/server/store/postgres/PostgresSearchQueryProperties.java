package org.ttyaudit.server.store.postgres;

import org.ttyaudit.server.store.SearchQueryContract;
import org.ttyaudit.server.store.Store;

import java.time.Clock;

/** The search query properties on PostgreSQL (tsvector, tsquery), each property on a database of its own. */
class PostgresSearchQueryProperties extends SearchQueryContract {
    @Override
    protected Store openStore() {
        return PostgresStore.open(PostgresCluster.get().newDatabase(), Clock.systemUTC());
    }
}
