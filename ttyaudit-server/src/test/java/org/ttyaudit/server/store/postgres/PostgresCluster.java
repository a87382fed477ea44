package org.ttyaudit.server.store.postgres;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL for tests, one per test JVM: either the cluster that {@code TTYAUDIT_TEST_POSTGRES_URL} names
 * ({@code postgres://USER:PASSWORD@HOST:PORT/DB}, a role that may create databases), or a private cluster that this
 * class makes with Debian's PostgreSQL ({@code /usr/lib/postgresql/*}/bin) in a temporary directory: a random
 * password for its one role (scram-sha-256 for every connection, no trust), listening on a free loopback port,
 * started at the first use and stopped, and its directory deleted, when the JVM exits. As root, initdb and the
 * server run as the {@code postgres} user (initdb refuses root).
 *
 * <p>When PostgreSQL is not installed and no cluster is named, the tests that use it are skipped (an assumption
 * fails), as the project's tests do for other missing tools; .ci/run installs it.
 *
 * <p>{@link #newDatabase} gives each test a database of its own, copied from a template that holds the migrated
 * schema (a copy takes milliseconds; migrating takes longer).
 */
public final class PostgresCluster {
    public static final String URL_VARIABLE = "TTYAUDIT_TEST_POSTGRES_URL";
    private static final String TEMPLATE = "ttyaudit_template";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresCluster instance;

    private final String host;
    private final int port;
    private final String adminDatabase;
    private final String user;
    private final String password;
    private final String prefix;

    private PostgresCluster(String host, int port, String adminDatabase, String user, String password) {
        this.host = host;
        this.port = port;
        this.adminDatabase = adminDatabase;
        this.user = user;
        this.password = password;
        // databases of concurrent test JVMs on one external cluster must not collide
        this.prefix = "ttyaudit_test_" + ProcessHandle.current().pid() + "_";
    }

    /** The cluster of this JVM, started (and its template made) on the first call. */
    public static synchronized PostgresCluster get() {
        if (instance == null) {
            String url = System.getenv(URL_VARIABLE);
            PostgresCluster c = url == null || url.isBlank() ? startPrivate() : external(url);
            c.makeTemplate();
            instance = c;
        }
        return instance;
    }

    /** The {@code database:} section of a server.yaml connecting to {@code db}, the password in a file. */
    public static String databaseSection(PostgresSettings db, java.nio.file.Path passwordFile) {
        return "database:\n  url: postgres://" + db.host() + ":" + db.port() + "/" + db.database() + "\n  user: "
                + db.user() + "\n  password_file: " + passwordFile + "\n  tls: disable\n";
    }

    /** A new empty database with the current schema; its settings connect as the cluster's role without TLS. */
    public PostgresSettings newDatabase() {
        String name = prefix + DATABASES.incrementAndGet();
        admin("CREATE DATABASE " + name + " TEMPLATE " + TEMPLATE);
        return settings(name);
    }

    /** The settings of {@code database} on this cluster. */
    public PostgresSettings settings(String database) {
        return new PostgresSettings(host, port, database, user, password, 4, PostgresSettings.Tls.DISABLE, null);
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** Runs statements on the administrative database (outside a transaction: CREATE DATABASE needs that). */
    public void admin(String sql) {
        execute(adminDatabase, sql);
    }

    /** Runs statements on {@code database}. */
    public void execute(String database, String sql) {
        try (Connection c = connect(database); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** A plain JDBC connection to {@code database}, for tests that look at the tables themselves. */
    public Connection connect(String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("sslmode", "disable");
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database, p);
    }

    private void makeTemplate() {
        admin("DROP DATABASE IF EXISTS " + TEMPLATE);
        admin("CREATE DATABASE " + TEMPLATE);
        PostgresStore.open(settings(TEMPLATE), Clock.systemUTC()).close();
    }

    private static PostgresCluster external(String url) {
        PostgresSettings.Url u = PostgresSettings.Url.parse(url);
        if (u.user() == null || u.password() == null) {
            throw new IllegalStateException(URL_VARIABLE + " must name a user and password"
                    + " (postgres://USER:PASSWORD@HOST:PORT/DB)");
        }
        return new PostgresCluster(u.host(), u.port(), u.database().isEmpty() ? "postgres" : u.database(),
                u.user(), u.password());
    }

    private static PostgresCluster startPrivate() {
        try {
            Path bin = findBin();
            boolean root = "root".equals(System.getProperty("user.name"));
            Path dir = Files.createTempDirectory("ttyaudit-pg-");
            byte[] secret = new byte[16];
            new SecureRandom().nextBytes(secret);
            String password = HexFormat.of().formatHex(secret);
            Path pwfile = dir.resolve("pw");
            Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8);
            if (root) {
                run(List.of("chown", "-R", "postgres:postgres", dir.toString()), false);
            }
            Path data = dir.resolve("data");
            String user = "ttyaudit_test";
            run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", user, "--pwfile=" + pwfile,
                    "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"), root);
            Files.deleteIfExists(pwfile);
            int port = freePort();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(bin, data, dir, root)));
            // fsync off: a test cluster need not survive a power cut, and the CPU here is scarce
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60", "-l",
                    dir.resolve("log").toString(), "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -k " + dir
                            + " -c fsync=off -c max_connections=200", "start"), root);
            return new PostgresCluster("127.0.0.1", port, "postgres", user, password);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a PostgreSQL cluster for the tests", e);
        }
    }

    private static void stop(Path bin, Path data, Path dir, boolean root) {
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"),
                    root);
        } catch (RuntimeException | IOException e) {
            System.err.println("stopping the test PostgreSQL failed: " + e.getMessage());
        }
        try {
            // rm, not a walk in Java: a cluster that served a test class holds tens of thousands of files, and the
            // JVM must exit within surefire's 30 s
            run(List.of("rm", "-rf", dir.toString()), false);
        } catch (RuntimeException | IOException e) {
            System.err.println("removing the test PostgreSQL's directory " + dir + " failed: " + e.getMessage());
        }
    }

    private static Path findBin() throws IOException {
        // as for the project's other tools: a test whose tool is missing is skipped and says why
        Assumptions.assumeTrue(Files.isDirectory(PostgresCommands.INSTALL_BASE), "PostgreSQL is not installed (no "
                + PostgresCommands.INSTALL_BASE + "; apt-get install postgresql), and " + URL_VARIABLE + " is not set");
        return PostgresCommands.newestBin();
    }

    private static int freePort() throws IOException {
        return PostgresCommands.freePort();
    }

    private static void run(List<String> command, boolean asPostgres) throws IOException {
        PostgresCommands.run(command, asPostgres, Duration.ofSeconds(120));
    }
}
