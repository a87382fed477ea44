package org.ttyaudit.server.store.postgres;

import org.ttyaudit.server.store.StoreException;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A plain connection to a PostgreSQL store for bulk loading it ({@code ttyaudit migrate}): what the store's pool
 * does not offer, namely {@code COPY}, one long transaction, the store's write lock taken by hand, the list of
 * tables and columns, and the content partitions of past months. The schema itself is made by opening a
 * {@link PostgresStore} first (the server's code), never here.
 *
 * <p>Not thread-safe. Errors name the database by {@link PostgresSettings#displayUrl()}, never its password.
 */
public final class PostgresImport implements AutoCloseable {
    /** The advisory lock every write of the store takes ({@link PostgresDatabase#WRITE_LOCK}). */
    public static final long WRITE_LOCK = PostgresDatabase.WRITE_LOCK;

    private final PostgresSettings settings;
    private final Connection connection;

    private PostgresImport(PostgresSettings settings, Connection connection) {
        this.settings = settings;
        this.connection = connection;
    }

    /**
     * Connects (auto-commit on) and checks that the schema is this version's.
     *
     * @throws StoreException naming the database and the driver's reason (which never quotes the password)
     */
    public static PostgresImport connect(PostgresSettings settings, String applicationName) {
        Properties p = new Properties();
        p.setProperty("user", settings.user());
        if (settings.password() != null) {
            p.setProperty("password", settings.password());
        }
        settings.driverProperties().forEach(p::setProperty);
        p.setProperty("ApplicationName", applicationName);
        Connection c;
        try {
            c = DriverManager.getConnection(settings.jdbcUrl(), p);
        } catch (SQLException e) {
            throw new StoreException("cannot connect to the database " + settings.displayUrl() + ": "
                    + e.getMessage(), e);
        }
        PostgresImport target = new PostgresImport(settings, c);
        try {
            target.execute("SET synchronous_commit = on");
            String version = target.queryString("SELECT max(version) FROM ttyaudit_schema_version");
            if (version == null || Integer.parseInt(version) != PostgresSchema.VERSION) {
                throw new StoreException("the database " + settings.displayUrl() + " has schema version " + version
                        + ", this version writes " + PostgresSchema.VERSION);
            }
        } catch (RuntimeException e) {
            target.close();
            throw e;
        }
        return target;
    }

    public Connection jdbc() {
        return connection;
    }

    public String displayUrl() {
        return settings.displayUrl();
    }

    /** The store's tables (partitioned tables by their parent only), sorted by name. */
    public List<String> tables() {
        return strings("SELECT c.relname FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace"
                + " AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.relname COLLATE \"C\"");
    }

    /**
     * The columns of {@code table} that a copy writes, and their data types ({@code information_schema} names), in
     * their order. Generated columns (the stored search words) are not among them: PostgreSQL computes them, and
     * {@code COPY} may not name them.
     */
    public Map<String, String> columnTypes(String table) {
        Map<String, String> types = new LinkedHashMap<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT column_name, data_type FROM"
                + " information_schema.columns WHERE table_schema = current_schema() AND table_name = ?"
                + " AND is_generated = 'NEVER' ORDER BY ordinal_position")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    types.put(rs.getString(1), rs.getString(2));
                }
            }
        } catch (SQLException e) {
            throw failure("listing the columns of " + table, e);
        }
        return types;
    }

    /** The identity columns of {@code table} (whose sequence must be moved past the copied values). */
    public List<String> identityColumns(String table) {
        return strings("SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
                + " AND table_name = '" + table.replace("'", "''") + "' AND is_identity = 'YES'");
    }

    /**
     * Makes the content partitions of {@code month} that do not exist yet (in their own transactions, so that
     * they outlive a copy that fails; an empty partition is harmless).
     */
    public void createPartitions(YearMonth month) {
        for (String table : ContentPartitions.TABLES) {
            String name = ContentPartitions.partitionName(table, month);
            if (queryString("SELECT to_regclass('" + name + "')") == null) {
                execute(ContentPartitions.createStatement(table, month));
            }
        }
    }

    /** The session ids of {@code month}'s sessions: from the first (inclusive) to the second (exclusive). */
    public static String[] monthIdRange(YearMonth month) {
        java.time.Instant start = month.atDay(1).atStartOfDay().toInstant(java.time.ZoneOffset.UTC);
        java.time.Instant end = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(java.time.ZoneOffset.UTC);
        return new String[] {ContentPartitions.idPrefix(start), ContentPartitions.idPrefix(end)};
    }

    public void execute(String sql) {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw failure(sql, e);
        }
    }

    /** The first column of the first row, or null. */
    public String queryString(String sql) {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw failure(sql, e);
        }
    }

    private List<String> strings(String sql) {
        List<String> out = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw failure(sql, e);
        }
        return out;
    }

    /** A failure naming the database and what was being done. */
    public StoreException failure(String what, SQLException e) {
        return new StoreException("the database " + settings.displayUrl() + ": " + what + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing a connection the server dropped
        }
    }
}
