package org.ttyaudit.server.store.sqlite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.server.store.SessionFilter;
import org.ttyaudit.server.store.SessionRecord;
import org.ttyaudit.server.store.Store;
import org.ttyaudit.server.store.jdbc.JdbcSessionQueries;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttyaudit.server.store.TestData.header;
import static org.ttyaudit.server.store.TestData.newSession;
import static org.ttyaudit.server.store.TestData.sessionId;

/** The {@code tag=NAME:VALUE} filter is answered from the session_tags index, on new and migrated stores alike. */
class SessionTagsIndexTest {
    private static final int SESSIONS = 3000;
    private static final int USERS = 60;
    /** SESSION_TAGS is step 7 of SqliteSchema.MIGRATIONS: it takes a database from version 7 to 8. */
    private static final int VERSION_BEFORE_SESSION_TAGS = 7;

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("store.db");
    }

    /** Gateway-like sessions: target_user-N for N in 0..USERS-1, and half of them on channel exec. */
    private void fill(Store store) {
        store.write(tx -> {
            for (int i = 0; i < SESSIONS; i++) {
                tx.insertSession(newSession(header().id(sessionId(1_000 + i, i)).tags(Map.of(
                        "target_user", "user-" + (i % USERS), "channel", i % 2 == 0 ? "shell" : "exec",
                        "gateway", "gw-1")).build(), "host-1", 0));
            }
            return null;
        });
    }

    private static SessionFilter tagged(Map<String, String> tags) {
        return new SessionFilter(null, null, null, null, null, null, null, tags);
    }

    @Test
    void theTagFilterSearchesTheIndexInsteadOfReadingEverySessionsJson() throws Exception {
        try (Store store = SqliteStore.open(file())) {
            fill(store);
            List<SessionRecord> found = store.sessions().list(tagged(Map.of("target_user", "user-7")), null, 100)
                    .items();
            assertThat(found).hasSize(SESSIONS / USERS)
                    .allSatisfy(s -> assertThat(s.header().tags()).containsEntry("target_user", "user-7"));
        }
        List<Object> params = new ArrayList<>();
        String sql = JdbcSessionQueries.listingSql(tagged(Map.of("target_user", "user-7", "channel", "exec")),
                null, 51, params);
        assertThat(sql).doesNotContain("json_extract");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file())) {
            String plan = plan(c, sql, params);
            assertThat(plan).as(plan).contains("SEARCH session_tags USING PRIMARY KEY (name=? AND value=?")
                    .doesNotContain("SCAN session_tags");
        }
    }

    @Test
    void aStoreFromBeforeTheIndexGetsItsSessionsTagsWhenItIsMigrated() throws Exception {
        try (Store store = SqliteStore.open(file())) {
            fill(store);
        }
        // Back to the schema before the step (version 7): no session_tags table, the retention index of then,
        // which the later step PRUNE_BY_AGE replaces, and no trigram index (SUBSTRING_SEARCH, later too)
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
             Statement s = c.createStatement()) {
            for (String t : List.of("insert", "delete", "update")) {
                s.execute("DROP TRIGGER commands_trigram_" + t);
            }
            s.execute("DROP TABLE commands_trigram");
            s.execute("DROP TABLE session_tags");
            s.execute("DROP INDEX sessions_prune_candidates_by_age");
            s.execute("CREATE INDEX sessions_prune_candidates ON sessions (ended_at, id)"
                    + " WHERE pruned_at IS NULL AND end_ledger_index IS NOT NULL");
            s.execute("UPDATE schema_version SET version = " + VERSION_BEFORE_SESSION_TAGS);
        }
        try (Store store = SqliteStore.open(file())) {
            List<SessionRecord> found = store.sessions().list(tagged(Map.of("target_user", "user-8",
                    "channel", "shell")), null, 100).items();
            assertThat(found).hasSize(SESSIONS / USERS)   // user-8 is every 60th session from the 8th: all even
                    .allSatisfy(r -> assertThat(r.header().tags()).containsEntry("target_user", "user-8")
                            .containsEntry("channel", "shell"));
            assertThat(store.sessions().list(tagged(Map.of("target_user", "user-8", "channel", "exec")), null, 100)
                    .items()).isEmpty();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM session_tags")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(3 * SESSIONS);
        }
    }

    private static String plan(Connection c, String sql, List<Object> params) throws Exception {
        StringBuilder out = new StringBuilder();
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.append(rs.getString("detail")).append('\n');
                }
            }
        }
        return out.toString();
    }
}
