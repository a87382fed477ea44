package org.ttyaudit.server.store.sqlite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.server.store.SearchHit;
import org.ttyaudit.server.store.SessionFilter;
import org.ttyaudit.server.store.TestData;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttyaudit.server.store.TestData.command;
import static org.ttyaudit.server.store.TestData.header;
import static org.ttyaudit.server.store.TestData.newSession;

/** The trigram index of a store from before substring search: made, and filled, when the store is migrated. */
class SqliteSubstringSearchTest {
    /** SUBSTRING_SEARCH is the last step of SqliteSchema.MIGRATIONS. */
    private static final int VERSION_BEFORE_SUBSTRINGS = SqliteSchema.VERSION - 1;

    @TempDir
    Path dir;

    @Test
    void commandsStoredBeforeTheTrigramIndexAreFoundAfterTheMigration() throws Exception {
        Path file = dir.resolve("store.db");
        UUID id = TestData.sessionId(0, 1);
        try (SqliteStore store = SqliteStore.open(file)) {
            store.write(tx -> {
                tx.insertSession(newSession(header().id(id).build()));
                tx.insertCommands(List.of(command(id, 0, "cat /etc/shadow", 1_000),
                        command(id, 1, "rm -rf /", 2_000)));
                return null;
            });
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement s = c.createStatement()) {
            for (String t : List.of("insert", "delete", "update")) {
                s.execute("DROP TRIGGER commands_trigram_" + t);
            }
            s.execute("DROP TABLE commands_trigram");
            s.execute("UPDATE schema_version SET version = " + VERSION_BEFORE_SUBSTRINGS);
        }

        try (SqliteStore store = SqliteStore.open(file)) {
            store.write(tx -> {
                tx.insertCommands(List.of(command(id, 2, "vim /etc/shadow.bak", 3_000)));
                return null;
            });

            assertThat(store.sessions().search("*etc/shad*", SessionFilter.all(), null, 10).items())
                    .extracting(SearchHit::snippet)
                    .containsExactly("vim /[[etc/shad]]ow.bak", "cat /[[etc/shad]]ow");
            assertThat(store.sessions().search("*-rf*", SessionFilter.all(), null, 10).items()).hasSize(1);
        }
    }
}
