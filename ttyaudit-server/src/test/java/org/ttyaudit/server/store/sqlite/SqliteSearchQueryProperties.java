package org.ttyaudit.server.store.sqlite;

import net.jqwik.api.lifecycle.AfterProperty;
import org.ttyaudit.server.store.SearchQueryContract;
import org.ttyaudit.server.store.Store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The search query properties on SQLite (FTS5). */
class SqliteSearchQueryProperties extends SearchQueryContract {
    private Path dir;

    @Override
    protected Store openStore() {
        try {
            dir = Files.createTempDirectory("ttyaudit-search-props");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return SqliteStore.open(dir.resolve("store.db"));
    }

    @AfterProperty
    void removeTheDatabase() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
