package org.ttyaudit.server.store.postgres;

import org.ttyaudit.server.store.jdbc.SqlConnection;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
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
        return withoutNul(ps);
    }

    /**
     * The statement, with every text it is given made storable: PostgreSQL's text cannot hold U+0000 (the insert
     * would fail, and with it the ingest of the chunk that carried it, again at every retry of the recorder, so a
     * recorded user could keep a session from being stored by printing a NUL into a command line). Each NUL is
     * kept as U+FFFD, the replacement character; SQLite keeps the NUL itself.
     */
    private static PreparedStatement withoutNul(PreparedStatement ps) {
        return (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
                    if (method.getName().equals("setString") && args.length == 2 && args[1] instanceof String s
                            && s.indexOf('\0') >= 0) {
                        args[1] = s.replace('\0', '\uFFFD');
                    }
                    try {
                        return method.invoke(ps, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
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
