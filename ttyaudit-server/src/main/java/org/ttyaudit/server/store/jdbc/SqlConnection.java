package org.ttyaudit.server.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * One database connection as the shared SQL of the stores uses it: prepared statements (the engine's wrapper may
 * cache them), plain statements, and what a failed statement violated, which each engine reports its own way.
 *
 * <p>Not thread-safe: one thread at a time, which the engine's writer and reader pool guarantee. Callers close
 * every {@link java.sql.ResultSet} they open; the statements belong to the connection (callers do not close them).
 */
public interface SqlConnection {

    /** A statement for {@code sql}; its parameters are rebound by every use. */
    PreparedStatement prepare(String sql) throws SQLException;

    /** Runs statements that return no rows. */
    void execute(String sql) throws SQLException;

    /** The first column of the first row of a query, or null when it has no row. */
    String queryString(String sql) throws SQLException;

    /** Which constraint, if any, the failed statement violated. */
    Violation violation(SQLException e);

    /** The kinds of constraint failure the stores turn into messages of their own. */
    enum Violation { UNIQUE, FOREIGN_KEY, OTHER }
}
