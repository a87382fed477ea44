package org.ttyaudit.server.store.postgres;

import org.junit.jupiter.api.Test;
import org.ttyaudit.server.store.CommandRecord;
import org.ttyaudit.server.store.SearchHit;
import org.ttyaudit.server.store.SessionFilter;
import org.ttyaudit.server.store.StoreException;
import org.ttyaudit.server.store.TestData;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ttyaudit.server.store.TestData.command;
import static org.ttyaudit.server.store.TestData.header;
import static org.ttyaudit.server.store.TestData.newSession;

/** What only PostgreSQL's substring search needs: the planner's use of the trigram index, and pg_trgm's rights. */
class PostgresSubstringSearchTest {
    private static final int SESSIONS = 20;
    private static final int COMMANDS_PER_SESSION = 500;

    @Test
    void aSubstringCanBeLookedUpInTheTrigramIndex() throws SQLException {
        PostgresCluster cluster = PostgresCluster.get();
        PostgresSettings db = cluster.newDatabase();
        try (PostgresStore store = PostgresStore.open(db, Clock.systemUTC())) {
            for (int s = 0; s < SESSIONS; s++) {
                UUID id = TestData.sessionId(1_000L * s, s);
                int session = s;
                store.write(tx -> {
                    tx.insertSession(newSession(header().id(id).build()));
                    List<CommandRecord> commands = new ArrayList<>();
                    for (int i = 0; i < COMMANDS_PER_SESSION; i++) {
                        String line = session == 7 && i == 123 ? "cat /srv/a1b2c3d4/secret.txt"
                                : "ls -la /var/tmp/build-" + (session * COMMANDS_PER_SESSION + i);
                        commands.add(command(id, i, line, 1_000L * i));
                    }
                    tx.insertCommands(commands);
                    return null;
                });
            }
            assertThat(store.sessions().search("*1B2C3D*", SessionFilter.all(), null, 50).items())
                    .extracting(SearchHit::snippet).containsExactly("cat /srv/a[[1b2c3d]]4/secret.txt");
        }
        cluster.execute(db.database(), "ANALYZE");

        List<Object> params = new ArrayList<>();
        String sql = PostgresSearch.commandsIndexSql("*1b2c3d*", SessionFilter.all(), 51, params);
        try (Connection c = cluster.connect(db.database())) {
            // At 10 000 rows reading the table costs about what the index does, and the planner may take either
            // (docs/PERFORMANCE.md has the plans over 1 M commands). What must hold is that the index can serve
            // the query: a query whose expression or collation differs from the index's could not use it at all,
            // whatever the planner is allowed. So only bitmap scans are allowed here.
            try (Statement s = c.createStatement()) {
                s.execute("SET enable_seqscan = off; SET enable_indexscan = off; SET enable_indexonlyscan = off");
            }
            List<String> trigramIndexes = strings(c, "SELECT indexname FROM pg_indexes WHERE tablename LIKE"
                    + " 'commands%' AND indexdef LIKE '%gin_trgm_ops%'", List.of());
            String plan = String.join("\n", strings(c, "EXPLAIN " + sql, params));

            assertThat(trigramIndexes).isNotEmpty();
            // the rows are in the default partition (the sessions' UUIDv7 months are before the store's)
            assertThat(plan).as(plan).contains("Bitmap Index Scan on commands_default_");
            assertThat(trigramIndexes).as(plan).anyMatch(name -> plan.contains("Bitmap Index Scan on " + name));
        }
    }

    @Test
    void aRoleThatMayNotCreatePgTrgmIsToldWhatASuperuserMustRun() {
        PostgresCluster cluster = PostgresCluster.get();
        String suffix = HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
        String role = "ttyaudit_limited_" + suffix;
        String database = "ttyaudit_limited_db_" + suffix;
        String password = "pw-" + suffix;
        cluster.admin("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
        cluster.admin("CREATE DATABASE " + database);
        // what the role may do: make tables in the public schema, and use unaccent, which a superuser created
        cluster.execute(database, "CREATE EXTENSION unaccent; GRANT CREATE ON SCHEMA public TO " + role);
        PostgresSettings limited = new PostgresSettings(cluster.host(), cluster.port(), database, role, password, 2,
                PostgresSettings.Tls.DISABLE, null);

        assertThatThrownBy(() -> PostgresStore.open(limited, Clock.systemUTC())).isInstanceOf(StoreException.class)
                .hasMessageContaining("cannot create the PostgreSQL extension pg_trgm in the database "
                        + limited.displayUrl() + " as role " + role)
                .hasMessageContaining("permission denied")
                .hasMessageContaining("as a superuser, run psql -d " + database
                        + " -c 'CREATE EXTENSION IF NOT EXISTS pg_trgm'")
                .message().doesNotContain("\n");

        cluster.execute(database, "CREATE EXTENSION IF NOT EXISTS pg_trgm");
        try (PostgresStore store = PostgresStore.open(limited, Clock.systemUTC())) {
            assertThat(store.sessions().search("*abc*", SessionFilter.all(), null, 5).items()).isEmpty();
        }
    }

    /** The first column of every row of {@code sql} with {@code params}. */
    static List<String> strings(Connection c, String sql, List<Object> params) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
