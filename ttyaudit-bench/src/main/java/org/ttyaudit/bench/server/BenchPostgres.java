package org.ttyaudit.bench.server;

import org.ttyaudit.server.store.postgres.PostgresCommands;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

/**
 * A private PostgreSQL cluster for {@link PgScaleBench}, tuned for a benchmark rather than for tests: unlike the
 * server's test fixture ({@code PostgresCluster}, {@code fsync=off}, default memory) it keeps PostgreSQL's
 * durability (fsync and synchronous commit on, as a production database would) and sizes memory and WAL for
 * a bulk load on this machine ({@link #SETTINGS}; docs/PERFORMANCE.md lists them). Debian's PostgreSQL in
 * {@code /usr/lib/postgresql/<version>/bin}; as root, initdb and the server run as the {@code postgres} user
 * (initdb refuses root).
 */
final class BenchPostgres implements AutoCloseable {
    /** Server settings ({@code -c name=value}); the comments are the reasons. */
    static final List<String> SETTINGS = List.of(
            "shared_buffers=2GB",               // the working set of indexes stays in PostgreSQL's own cache
            "effective_cache_size=12GB",        // the machine has 23 GB, mostly page cache
            "work_mem=32MB",
            "maintenance_work_mem=512MB",       // GIN index builds and vacuum of large tables
            "wal_buffers=64MB",
            "wal_compression=lz4",              // full-page images of GIN pages are large
            "max_wal_size=16GB",                // no checkpoint forced by WAL volume during a load phase
            "min_wal_size=2GB",
            "checkpoint_timeout=15min",
            "checkpoint_completion_target=0.9",
            "random_page_cost=1.1",             // SSD-backed virtual disk
            "jit=off",                          // short OLTP queries: JIT compilation would cost more than it saves
            "max_connections=100",
            "synchronous_commit=on",            // a commit point is durable before the server answers it
            "fsync=on",
            "shared_preload_libraries=auto_explain",   // the plans of slow statements go to postgres.log
            "auto_explain.log_min_duration=5s",
            "log_min_duration_statement=5s");

    /**
     * Set on the benchmark's database: a search that runs longer is cancelled, so that a query the client gave up
     * on does not keep a core busy under the next measurements.
     */
    static final String STATEMENT_TIMEOUT = "50s";

    final String host = "127.0.0.1";
    final int port;
    final String user = "ttyaudit";
    final String password;
    private boolean kept;
    private final Path dir;
    private final Path bin;
    private final boolean root;

    private BenchPostgres(Path dir, Path bin, boolean root, int port, String password) {
        this.dir = dir;
        this.bin = bin;
        this.root = root;
        this.port = port;
        this.password = password;
    }

    /**
     * Makes and starts a cluster in a new directory under the system's temporary directory (not under the caller's
     * work directory: as root, the {@code postgres} user must reach it, and a work directory may lie below one only
     * its owner can enter); {@link #close} deletes it.
     */
    static BenchPostgres start() throws IOException {
        Path bin = findBin();
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("ttyaudit-pgbench-");
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        Path pwfile = dir.resolve("pw");
        Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8);
        if (root) {
            run(List.of("chown", "-R", "postgres:postgres", dir.toString()), false);
        }
        run(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "ttyaudit",
                "--pwfile=" + pwfile, "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8"), root);
        Files.deleteIfExists(pwfile);
        int port = freePort();
        StringBuilder options = new StringBuilder("-p " + port + " -c listen_addresses=127.0.0.1 -k " + dir);
        SETTINGS.forEach(s -> options.append(" -c ").append(s));
        BenchPostgres pg = new BenchPostgres(dir, bin, root, port, password);
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w", "-t", "120",
                "-l", dir.resolve("postgres.log").toString(), "-o", options.toString(), "start"), root);
        pg.execute("postgres", "CREATE DATABASE ttyaudit");
        pg.execute("postgres", "ALTER DATABASE ttyaudit SET statement_timeout = '" + STATEMENT_TIMEOUT + "'");
        return pg;
    }

    Connection connect(String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("sslmode", "disable");
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database, p);
    }

    void execute(String database, String sql) throws IOException {
        try (Connection c = connect(database); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IOException(sql + ": " + e.getMessage(), e);
        }
    }

    /** The postmaster's process id: the parent of any backend (its children are the backends and workers). */
    long postmasterPid() throws IOException {
        try (Connection c = connect("postgres"); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT pg_backend_pid()")) {
            r.next();
            return ProcessHandle.of(r.getLong(1)).flatMap(ProcessHandle::parent).orElseThrow().pid();
        } catch (SQLException e) {
            throw new IOException("cannot ask PostgreSQL for its process: " + e.getMessage(), e);
        }
    }

    /** Where the cluster lives (deleted by {@link #close}). */
    Path directory() {
        return dir;
    }

    /** The cluster's data directory (for its size on disk). */
    Path dataDirectory() {
        return dir.resolve("data");
    }

    /** Copies the server's log (slow statements and their plans) to {@code target}. */
    void copyLog(Path target) {
        try {
            Files.copy(dir.resolve("postgres.log"), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            System.err.println("cannot copy PostgreSQL's log: " + e.getMessage());
        }
    }

    /** Leaves the cluster running and its directory in place when closed (to look at its plans afterwards). */
    void keep() {
        kept = true;
    }

    @Override
    public void close() {
        if (kept) {
            return;
        }
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w",
                    "stop"), root);
        } catch (IOException | RuntimeException e) {
            System.err.println("stopping the benchmark's PostgreSQL failed: " + e.getMessage());
        }
        try {
            run(List.of("rm", "-rf", dir.toString()), false);
        } catch (IOException | RuntimeException e) {
            System.err.println("removing " + dir + " failed: " + e.getMessage());
        }
    }

    private static Path findBin() throws IOException {
        return PostgresCommands.newestBin();
    }

    private static int freePort() throws IOException {
        return PostgresCommands.freePort();
    }

    private static void run(List<String> command, boolean asPostgres) throws IOException {
        PostgresCommands.run(command, asPostgres, Duration.ofSeconds(180));
    }
}
