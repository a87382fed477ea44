package org.ttyaudit.server.store.sqlite;

import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import org.ttyaudit.server.store.StoreException;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/** JDBC chores shared by the store's classes: nullable columns, error translation. */
final class Sql {
    private Sql() {
    }

    /** A unit of SQL work on one connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(SqliteConnection connection) throws SQLException;
    }

    /** Binds {@code values} to the statement's parameters, in order; null binds SQL NULL. */
    static PreparedStatement bind(PreparedStatement statement, Object... values) throws SQLException {
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

    static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    static Integer intOrNull(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    static boolean isUniqueViolation(SQLException e) {
        if (e instanceof SQLiteException se) {
            SQLiteErrorCode code = se.getResultCode();
            return code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
                    || code == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY;
        }
        return false;
    }

    static boolean isForeignKeyViolation(SQLException e) {
        return e instanceof SQLiteException se && se.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_FOREIGNKEY;
    }

    /** The exception for a failed operation: names what was being done and SQLite's reason. */
    static StoreException failure(String what, SQLException e) {
        return new StoreException(what + " failed: " + e.getMessage(), e);
    }
}
