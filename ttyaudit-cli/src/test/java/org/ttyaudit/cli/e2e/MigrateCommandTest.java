package org.ttyaudit.cli.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.cli.e2e.ServerUnderTest.Run;
import org.ttyaudit.server.api.AuditedDataDirectory;
import org.ttyaudit.server.api.ServerFixture;
import org.ttyaudit.server.migrate.CopyPlan;
import org.ttyaudit.server.store.postgres.PostgresCluster;
import org.ttyaudit.server.store.postgres.PostgresSettings;
import org.ttyaudit.server.testkit.S3Server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttyaudit.cli.e2e.ServerUnderTest.cli;

/**
 * {@code ttyaudit migrate}: a store written by a real server, moved into a real PostgreSQL (a private cluster) and
 * a real S3 API server (s3proxy); then checked table by table and blob by blob, by {@code ttyaudit verify --data}
 * on the PostgreSQL settings, and by a real server started on the target, against which a proof verified before
 * the move still verifies. And the ways it is refused or interrupted.
 */
class MigrateCommandTest {
    private static final String BUCKET = "migrate";
    @TempDir
    static Path root;
    static PostgresCluster pg;
    static S3Server s3;
    static AuditedDataDirectory audited;

    @TempDir
    Path tmp;

    @BeforeAll
    static void writeAStoreWithARealServer() throws Exception {
        pg = PostgresCluster.get();
        s3 = S3Server.shared();
        s3.createBucket(BUCKET);
        audited = AuditedDataDirectory.create(Files.createDirectories(root.resolve("server")));
    }

    @AfterAll
    static void noServerLeft() {
        // the cluster and s3proxy stop with the JVM
    }

    @Test
    void movesEveryRowAndBlobAndEveryProofStillVerifiesOnTheTarget() throws Exception {
        Path data = copyOfTheStore();
        Path home = tmp.resolve("home");
        int port;
        String token;
        String alice = audited.alice.toString();
        // before: the session verified against the embedded store's server (the head is remembered in HOME)
        try (ServerUnderTest before = new ServerUnderTest(data)) {
            port = Integer.parseInt(before.url.substring(before.url.lastIndexOf(':') + 1));
            String login = before.login("admin", ServerFixture.ADMIN_PASSWORD);
            token = before.post("/api/v1/tokens", login, Map.of("name", "migrate")).json().get("token").asText();
            Run first = cli(before.tokenEnvironment(home, token), "", false, tmp, "verify", alice);
            assertThat(first.exitCode()).as(first.toString()).isZero();
            assertThat(first.out()).contains("first verification against this server");
        }
        PostgresSettings db = pg.newDatabase();
        Path yaml = settings(db, pg.password());
        Map<String, String> before = digests(data);

        Run migrate = migrate(data, db, yaml);

        assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
        assertThat(migrate.out()).contains("migrated " + data.toAbsolutePath().normalize() + " to "
                        + db.displayUrl() + ":", "  sessions: 3 rows", "  blobs: 7 in s3://" + BUCKET + "/chunks/",
                "ledger: root of ", "signature valid (key ");
        assertThat(migrate.err()).contains("migrate: blobs: 7 to do", "migrate: ledger_leaves: ");
        assertThat(digests(data)).as("the source's files are unchanged").isEqualTo(before);
        assertSameRows(data, db.database());
        assertEveryBlobCopied(data);

        Run verify = cli(Map.of(), "", false, tmp, "verify", "--data", data.toString(), "--config", yaml.toString());
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        assertThat(verify.out()).contains(data + ": intact: 3 sessions, 7 chunks, ");

        // after: the same data directory (its ledger key and certificate) with settings that name the target
        Files.copy(yaml, data.resolve("server.yaml"));
        Files.move(data.resolve("server.db"), data.resolve("server.db.moved"));
        try (ServerUnderTest after = new ServerUnderTest(data, port)) {
            String login = after.login("admin", ServerFixture.ADMIN_PASSWORD);
            assertThat(after.get("/api/v1/sessions", login).json().get("items").size()).isEqualTo(3);
            assertThat(after.get("/api/v1/sessions/" + alice, login).json().get("user").asText())
                    .isEqualTo("alice");
            Run again = cli(after.tokenEnvironment(home, token), "", false, tmp, "verify", alice);
            assertThat(again.exitCode()).as(again.toString()).isZero();
            assertThat(again.out()).contains("session " + alice + ": intact")
                    .contains("consistent with the head verified before");
        }
        assertThat(data.resolve("server.db")).doesNotExist();

        // verify --data reads the PostgreSQL store the settings name (there is no server.db any more) ...
        Run target = cli(Map.of(), "", false, tmp, "verify", "--data", data.toString(), "--config", yaml.toString());
        assertThat(target.exitCode()).as(target.toString()).isZero();
        assertThat(target.out()).contains(data + ": intact: 3 sessions, 7 chunks, ");
        // ... and finds a change made there
        pg.execute(db.database(), "UPDATE commands SET command_line = 'true' WHERE command_line = 'cat /etc/passwd'");
        Run tampered = cli(Map.of(), "", false, tmp, "verify", "--data", data.toString(), "--config",
                yaml.toString());
        assertThat(tampered.exitCode()).as(tampered.toString()).isEqualTo(1);
        assertThat(tampered.err()).contains("session " + alice);
    }

    @Test
    void sessionsPrunedByRetentionMoveWithTheirLedgerLeavesAndWithoutBlobs() throws Exception {
        Path data = copyOfTheStore();
        // the test sessions ended on 2026-11-25: alice's and bob's are older than 5 days; carol's never ended
        Files.writeString(data.resolve("server.yaml"), "retention: {keep_days: 5, minimum_keep_days: 1}\n");
        try (ServerUnderTest pruning = new ServerUnderTest(data)) {
            pruning.server.pruneNow();
        }
        Files.delete(data.resolve("server.yaml"));
        PostgresSettings db = pg.newDatabase();
        Path yaml = settings(db, pg.password());

        Run migrate = migrate(data, db, yaml);

        assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
        assertThat(migrate.out()).contains("  blobs: 2 in s3://" + BUCKET + "/chunks/");
        assertSameRows(data, db.database());
        try (Connection c = pg.connect(db.database()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM sessions WHERE pruned_at IS NOT NULL")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(2);
        }
        Run verify = cli(Map.of(), "", false, tmp, "verify", "--data", data.toString(), "--config", yaml.toString());
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
    }

    @Test
    void aTargetWithRowsIsRefusedNamingThemAndASecondRunSaysItIsDone() throws Exception {
        Path data = copyOfTheStore();
        PostgresSettings db = pg.newDatabase();
        pg.execute(db.database(), "INSERT INTO settings (key, value) VALUES ('someone', 'else')");
        Path yaml = settings(db, pg.password());

        Run refused = migrate(data, db, yaml);

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("ttyaudit: migrate: the database " + db.displayUrl()
                + " is not empty: settings (1 rows); migrate only into a new database");

        PostgresSettings fresh = pg.newDatabase();
        Path freshYaml = settings(fresh, pg.password());
        assertThat(migrate(data, fresh, freshYaml).exitCode()).isZero();
        Run twice = migrate(data, fresh, freshYaml);
        assertThat(twice.exitCode()).isEqualTo(1);
        assertThat(twice.err()).contains("already holds this store, migrated from " + data.toAbsolutePath()
                .normalize());
    }

    @Test
    void aRunningServerIsRefusedAndTheSourceIsLeftAsItWas() throws Exception {
        Path data = copyOfTheStore();
        PostgresSettings db = pg.newDatabase();
        Path yaml = settings(db, pg.password());
        try (ServerUnderTest running = new ServerUnderTest(data)) {
            Run refused = migrate(data, db, yaml);

            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
            assertThat(refused.err()).contains("is in use by another process: stop the ttyaudit server");
        }
        assertThat(count(db.database(), "sessions")).isZero();
    }

    @Test
    void badInputFailsWithAClearMessageAndNeverShowsThePassword() throws Exception {
        Path data = copyOfTheStore();
        PostgresSettings db = pg.newDatabase();

        Run missing = migrate(tmp.resolve("nowhere"), db, settings(db, pg.password()));
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("--from " + tmp.resolve("nowhere") + ": no such directory");

        String wrong = "not-the-password-" + System.nanoTime();
        Run denied = migrate(data, db, settings(db, wrong));
        assertThat(denied.exitCode()).isEqualTo(1);
        assertThat(denied.err()).contains("cannot connect to the database " + db.displayUrl())
                .contains("password authentication failed").doesNotContain(wrong);
        assertThat(denied.out() + denied.err()).doesNotContain(pg.password());

        PostgresSettings nowhere = new PostgresSettings("127.0.0.1", 1, "nothing", pg.user(), null, 2,
                PostgresSettings.Tls.DISABLE, null);
        Run unreachable = migrate(data, nowhere, settings(nowhere, pg.password()));
        assertThat(unreachable.exitCode()).isEqualTo(1);
        assertThat(unreachable.err()).contains("cannot connect to the database postgres://127.0.0.1:1/nothing");

        Run inUrl = cli(Map.of(), "", false, tmp, "migrate", "--from", data.toString(), "--to",
                "postgres://" + pg.user() + ":" + wrong + "@" + pg.host() + ":" + pg.port() + "/" + db.database());
        assertThat(inUrl.exitCode()).isEqualTo(2);
        assertThat(inUrl.err()).contains("the URL holds a password; never put it on the command line")
                .doesNotContain(wrong);

        Run noTarget = cli(Map.of(), "", false, tmp, "migrate", "--from", data.toString());
        assertThat(noTarget.exitCode()).isEqualTo(2);
        assertThat(noTarget.err()).contains("no PostgreSQL database to move to");
    }

    @Test
    void aRunWhoseConnectionDropsLeavesNoRowsAndTheRerunFinishesIt() throws Exception {
        Path data = copyOfTheStore();
        PostgresSettings db = pg.newDatabase();
        Path yaml = settings(db, pg.password());
        // a real fault: the server ends the migrating connection when the ledger's nodes arrive, late in the copy
        pg.execute(db.database(), """
                CREATE FUNCTION cut_the_connection() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NULL; END $$;
                CREATE TRIGGER cut AFTER INSERT ON ledger_nodes FOR EACH STATEMENT
                    EXECUTE FUNCTION cut_the_connection();
                """);

        Run cut = migrate(data, db, yaml);

        assertThat(cut.exitCode()).as(cut.toString()).isEqualTo(1);
        assertThat(cut.err()).contains("ttyaudit: migrate: copying into " + db.displayUrl() + " failed: ")
                .contains("no row was committed: run the same command again to continue");
        assertThat(count(db.database(), "sessions")).as("the rows are all or nothing").isZero();
        assertThat(count(db.database(), "ledger_leaves")).isZero();

        pg.execute(db.database(), "DROP TRIGGER cut ON ledger_nodes; DROP FUNCTION cut_the_connection()");
        Run rerun = migrate(data, db, yaml);

        assertThat(rerun.exitCode()).as(rerun.toString()).isZero();
        assertThat(rerun.out()).contains("(continuing an interrupted run)");
        assertThat(rerun.err()).contains("migrate: resuming the interrupted migration of ")
                .contains("7 blobs are already copied");
        assertSameRows(data, db.database());
        assertEveryBlobCopied(data);
    }

    // ---------------------------------------------------------------------------------------------------------

    private Run migrate(Path data, PostgresSettings db, Path yaml) {
        return cli(Map.of(), "", false, tmp, "migrate", "--from", data.toString(), "--to",
                "postgres://" + db.user() + "@" + db.host() + ":" + db.port() + "/" + db.database(), "--config",
                yaml.toString());
    }

    /** The settings of a server on {@code db} with its blobs in the bucket (secrets in files beside them). */
    private Path settings(PostgresSettings db, String password) throws IOException {
        Path etc = Files.createDirectories(tmp.resolve("etc"));
        Files.writeString(etc.resolve("db-password"), password + "\n");
        Files.writeString(etc.resolve("s3-secret"), s3.secretAccessKey + "\n");
        return Files.writeString(etc.resolve("server-" + db.database() + ".yaml"),
                PostgresCluster.databaseSection(db, etc.resolve("db-password"))
                        + s3.blobsSection(BUCKET, "chunks", etc.resolve("s3-secret").toString()));
    }

    private Path copyOfTheStore() throws IOException {
        Path copy = tmp.resolve("data");
        try (Stream<Path> files = Files.walk(audited.dataDir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path to = copy.resolve(audited.dataDir.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        return copy;
    }

    /** Every file of the directory and the SHA-256 of its bytes. */
    private static Map<String, String> digests(Path dir) throws Exception {
        Map<String, String> out = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f)) {
                    out.put(dir.relativize(f).toString(), HexFormat.of().formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
                }
            }
        }
        return out;
    }

    private static void assertSameRows(Path data, String database) throws SQLException {
        try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("server.db"));
             Connection postgres = pg.connect(database)) {
            for (CopyPlan.Table t : CopyPlan.TABLES) {
                List<String> from = rows(sqlite, t, Set.of());
                assertThat(rows(postgres, t, generatedColumns(postgres, t.name()))).as(t.name())
                        .containsExactlyElementsOf(from);
            }
            // what PostgreSQL generates is there and is what it generates from the copied text
            assertThat(count(postgres, "commands WHERE search_words IS DISTINCT FROM"
                    + " ttyaudit_search_words(command_line)")).isZero();
            assertThat(count(postgres, "commands WHERE search_words @@ to_tsquery('ttyaudit_search', 'passwd')"))
                    .isEqualTo(count(postgres, "commands WHERE command_line LIKE '%/passwd%'"));
            assertThat(count(postgres, "ledger_leaves")).isGreaterThan(10);
        }
    }

    /**
     * Every row of the table in key order, as text: bytes in hex, numbers as whole numbers, columns by name; without
     * the columns in {@code skip}.
     */
    private static List<String> rows(Connection c, CopyPlan.Table t, Set<String> skip) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM " + t.name() + " ORDER BY " + t.orderBy())) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                Map<String, String> row = new java.util.TreeMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    if (skip.contains(meta.getColumnName(i))) {
                        continue;
                    }
                    Object v = rs.getObject(i);
                    row.put(meta.getColumnName(i), v == null ? "null" : v instanceof byte[] b
                            ? HexFormat.of().formatHex(b) : v instanceof Number n ? Long.toString(n.longValue())
                            : v.toString());
                }
                out.add(row.toString());
            }
        }
        return out;
    }

    /** The columns of a PostgreSQL table that PostgreSQL computes (the stored search words): no copy writes them. */
    private static Set<String> generatedColumns(Connection postgres, String table) throws SQLException {
        Set<String> out = new java.util.HashSet<>();
        try (PreparedStatement ps = postgres.prepareStatement("SELECT column_name FROM information_schema.columns"
                + " WHERE table_schema = current_schema() AND table_name = ? AND is_generated <> 'NEVER'")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long count(String database, String table) throws SQLException {
        try (Connection c = pg.connect(database)) {
            return count(c, table);
        }
    }

    private static void assertEveryBlobCopied(Path data) throws Exception {
        Map<String, byte[]> blobs = new HashMap<>();
        try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("server.db"));
             Statement s = sqlite.createStatement();
             ResultSet rs = s.executeQuery("SELECT blob_key FROM chunks")) {
            while (rs.next()) {
                String key = rs.getString(1);
                blobs.put(key, Files.readAllBytes(data.resolve("blobs").resolve(key)));
            }
        }
        assertThat(blobs).hasSize(7);
        for (Map.Entry<String, byte[]> e : blobs.entrySet()) {
            assertThat(Files.readAllBytes(s3.objectFile(BUCKET, "chunks/" + e.getKey()))).as(e.getKey())
                    .isEqualTo(e.getValue());
        }
    }
}
