package org.ttyaudit.server.store.postgres;

import org.ttyaudit.server.store.jdbc.SqlConnection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A pooled JDBC connection lent to one read or one write transaction. The statements it prepares are closed when
 * it is given back ({@link #release}); the driver keeps the server-side prepared statements of the physical
 * connection in its own cache, so preparing the same SQL again is cheap.
 *
 * <p>Not thread-safe: used by the one thread that borrowed it.
 */
final class PostgresConnection implements SqlConnection {
    /** SQLSTATE unique_violation. */
    private static final String UNIQUE_VIOLATION = "23505";
    /** SQLSTATE foreign_key_violation. */
    private static final String FOREIGN_KEY_VIOLATION = "23503";

    private final Connection connection;
    private final List<Statement> open = new ArrayList<>();

    PostgresConnection(Connection connection) {
        this.connection = connection;
    }

    Connection jdbc() {
        return connection;
    }

    @Override
    public PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(sql);
        open.add(ps);
        return ps;
    }

    @Override
    public void execute(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public String queryString(String sql) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Override
    public Violation violation(SQLException e) {
        String state = e.getSQLState();
        if (UNIQUE_VIOLATION.equals(state)) {
            return Violation.UNIQUE;
        }
        if (FOREIGN_KEY_VIOLATION.equals(state)) {
            return Violation.FOREIGN_KEY;
        }
        return Violation.OTHER;
    }

    /** Closes the statements prepared during this loan. */
    void release() {
        for (Statement s : open) {
            try {
                s.close();
            } catch (SQLException ignored) {
                // the pool resets or discards the physical connection anyway
            }
        }
        open.clear();
    }
}
