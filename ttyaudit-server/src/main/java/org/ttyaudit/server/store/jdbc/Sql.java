package org.ttyaudit.server.store.jdbc;

import org.ttyaudit.server.store.StoreException;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/** JDBC chores shared by the stores' classes: binding, nullable columns, error translation. */
public final class Sql {
    private Sql() {
    }

    /** A unit of SQL work on one connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(SqlConnection connection) throws SQLException;
    }

    /** Binds {@code values} to the statement's parameters, in order; null binds SQL NULL. */
    public static PreparedStatement bind(PreparedStatement statement, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            if (v == null) {
                statement.setNull(i + 1, Types.NULL);
            } else if (v instanceof byte[] bytes) {
                statement.setBytes(i + 1, bytes);
            } else if (v instanceof Boolean b) {
                statement.setInt(i + 1, b ? 1 : 0);
            } else if (v instanceof Long || v instanceof Integer) {
                statement.setLong(i + 1, ((Number) v).longValue());
            } else if (v instanceof String s) {
                statement.setString(i + 1, s);
            } else {
                throw new IllegalArgumentException("cannot bind a " + v.getClass().getName());
            }
        }
        return statement;
    }

    public static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    public static Integer intOrNull(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    /** The exception for a failed operation: names what was being done and the database's reason. */
    public static StoreException failure(String what, SQLException e) {
        return new StoreException(what + " failed: " + e.getMessage(), e);
    }
}
