package org.ttyaudit.server.store.postgres;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ttyaudit.server.store.CommandRecord;
import org.ttyaudit.server.store.OutputText;
import org.ttyaudit.server.store.Page;
import org.ttyaudit.server.store.SearchHit;
import org.ttyaudit.server.store.SessionFilter;
import org.ttyaudit.server.store.TestData;
import org.ttyaudit.server.store.jdbc.Sql;
import org.ttyaudit.server.store.jdbc.SqlConnection;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttyaudit.server.store.TestData.command;
import static org.ttyaudit.server.store.TestData.header;
import static org.ttyaudit.server.store.TestData.newSession;

/**
 * PostgreSQL search reads a page by walking the newest rows, and from the indexes when the walk does not fill it
 * ({@link PostgresSearch}). Both ways must give the same hits in the same order on every page; with a walk of 10
 * rows, matches older than the newest 10 rows are reached only by the second statement.
 */
class PostgresSearchWalkTest {
    private static final String ALICE = "alice";
    private static PostgresSettings db;

    /**
     * Arrival order: alice's session with 30 {@code git} commands and output with {@code deploy}, then bob's with 40
     * commands that match nothing and output of its own, then carol's, with two {@code git} commands among 20.
     */
    @BeforeAll
    static void store() {
        db = PostgresCluster.get().newDatabase();
        try (PostgresStore store = PostgresStore.open(db, Clock.systemUTC())) {
            addSession(store, 1, ALICE, i -> "git status --short " + i, i -> "deploy step " + i + " done");
            addSession(store, 2, "bob", i -> "ls -la /var/tmp/" + i, i -> "total " + i);
            addSession(store, 3, "carol", i -> i % 10 == 3 ? "git log -n " + i : "make -j2 target" + i,
                    i -> "ok " + i);
        }
    }

    @Test
    void aShortWalkAndTheIndexesGiveTheSameHitsPageByPage() {
        List<SessionFilter> filters = List.of(SessionFilter.all(), new SessionFilter(ALICE, null, null, null, null),
                new SessionFilter("carol", null, null, null, null));
        List<String> queries = List.of("git", "git status", "gi*", "deploy", "deploy step", "*status*", "*LOG -n*",
                "make", "nothing-like-this");
        try (PostgresDatabase database = PostgresDatabase.connect(db)) {
            PostgresSearch walkFindsAll = new PostgresSearch(database);
            PostgresSearch shortWalk = new PostgresSearch(database, 10, 10);
            for (String query : queries) {
                for (SessionFilter filter : filters) {
                    List<SearchHit> expected = allPages(walkFindsAll, query, filter);
                    assertThat(allPages(shortWalk, query, filter)).as(query + " " + filter).isEqualTo(expected);
                }
            }
            // and what the pages hold: every match once, newest first
            List<SearchHit> git = allPages(shortWalk, "git", SessionFilter.all());
            assertThat(git).hasSize(32);
            assertThat(git.get(0).snippet()).isEqualTo("[[git]] log -n 13");
            assertThat(git.get(2).snippet()).isEqualTo("[[git]] status --short 29");
            assertThat(git.get(31).snippet()).isEqualTo("[[git]] status --short 0");
            assertThat(allPages(shortWalk, "deploy", SessionFilter.all())).hasSize(8)
                    .allMatch(h -> h.kind().equals(SearchHit.OUTPUT) && h.user().equals(ALICE));
        }
    }

    @Test
    void theIndexStatementCannotWalkTheArrivalIndexAndCanUseTheStoredWords() throws SQLException {
        PostgresCluster cluster = PostgresCluster.get();
        cluster.execute(db.database(), "ANALYZE");
        List<Object> params = new ArrayList<>();
        String sql = PostgresSearch.commandsIndexSql("git", SessionFilter.all(), 51, params);
        try (Connection c = cluster.connect(db.database())) {
            String plan = explain(c, sql, params);
            // 'ORDER BY id + 0': no index gives that order, so no plan walks one backwards, however few the
            // planner thinks the matches are
            assertThat(plan).as(plan).doesNotContain("Backward");
            // which index serves which query is the planner's choice by the statistics (at this size, the arrival
            // index's bitmap); what must hold is that the stored words are read, never computed again per row, and
            // that each partition has its GIN index on them
            assertThat(plan).as(plan).contains("search_words @@").doesNotContain("ttyaudit_search_words(");
            assertThat(indexDefinition(c, "commands_default_search_words_idx")).contains("USING gin (search_words)");
            assertThat(indexDefinition(c, "output_text_default_search_words_idx")).contains("USING gin (search_words)");
        }
    }

    private static String indexDefinition(Connection c, String index) throws SQLException {
        return explainOrQuery(c, "SELECT indexdef FROM pg_indexes WHERE indexname = ?", List.of(index));
    }

    @Test
    void theSearchTransactionStartsNoParallelWorkers() throws SQLException {
        PostgresCluster cluster = PostgresCluster.get();
        // parallel plans for free: the planner then takes them wherever it can
        for (String setting : List.of("parallel_setup_cost = 0", "parallel_tuple_cost = 0",
                "min_parallel_table_scan_size = 0", "min_parallel_index_scan_size = 0")) {
            cluster.execute(db.database(), "ALTER DATABASE " + db.database() + " SET " + setting);
        }
        cluster.execute(db.database(), "ANALYZE");
        List<Object> params = new ArrayList<>();
        String sql = PostgresSearch.commandsIndexSql("git", SessionFilter.all(), 51, params);
        try (PostgresDatabase database = PostgresDatabase.connect(db)) {
            String asIs = database.readSnapshot("explaining", c -> explain(c, sql, params));
            String inSearch = database.readSnapshot("explaining", c -> explain(PostgresSearch.serial(c), sql, params));

            assertThat(asIs).as("the settings make a parallel plan").contains("Gather");
            assertThat(inSearch).as(inSearch).doesNotContain("Gather").doesNotContain("Parallel");
        } finally {
            for (String setting : List.of("parallel_setup_cost", "parallel_tuple_cost",
                    "min_parallel_table_scan_size", "min_parallel_index_scan_size")) {
                cluster.execute(db.database(), "ALTER DATABASE " + db.database() + " RESET " + setting);
            }
        }
    }

    private static String explain(SqlConnection c, String sql, List<Object> params)
            throws SQLException {
        List<String> lines = new ArrayList<>();
        try (ResultSet rs = Sql.bind(c.prepare("EXPLAIN " + sql), params.toArray())
                .executeQuery()) {
            while (rs.next()) {
                lines.add(rs.getString(1));
            }
        }
        return String.join("\n", lines);
    }

    private static List<SearchHit> allPages(PostgresSearch search, String query, SessionFilter filter) {
        List<SearchHit> hits = new ArrayList<>();
        String cursor = null;
        do {
            Page<SearchHit> page = search.search(query, filter, cursor, 7);
            hits.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor != null);
        return hits;
    }

    private static void addSession(PostgresStore store, int n, String user,
                                   IntFunction<String> line,
                                   IntFunction<String> output) {
        UUID id = TestData.sessionId(1_000L * n, n);
        int commands = n == 1 ? 30 : n == 2 ? 40 : 20;
        store.write(tx -> {
            tx.insertSession(newSession(header().id(id).user(user).build()));
            List<CommandRecord> rows = new ArrayList<>();
            for (int i = 0; i < commands; i++) {
                rows.add(command(id, i, line.apply(i), 1_000L * i));
            }
            tx.insertCommands(rows);
            for (int i = 0; i < 8; i++) {
                tx.insertOutputText(new OutputText(id, i, 5_000L * i, output.apply(i)));
            }
            return null;
        });
    }

    private static String explain(Connection c, String sql, List<Object> params) throws SQLException {
        return explainOrQuery(c, "EXPLAIN " + sql, params);
    }

    /** The first column of every row of {@code sql}, one line each. */
    private static String explainOrQuery(Connection c, String sql, List<Object> params) throws SQLException {
        return String.join("\n", PostgresSubstringSearchTest.strings(c, sql, params));
    }
}
