package org.ttyaudit.server.store.sqlite;

import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.server.store.ForwardingStoreContract;
import org.ttyaudit.server.store.Store;

import java.nio.file.Path;

/** The forwarding store's contract on SQLite. */
class SqliteForwardingStoreTest extends ForwardingStoreContract {
    @TempDir
    Path dir;

    @Override
    protected Store openStore() {
        return SqliteStore.open(dir.resolve("store.db"));
    }
}
