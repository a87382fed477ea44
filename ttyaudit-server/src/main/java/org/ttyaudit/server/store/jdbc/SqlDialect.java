package org.ttyaudit.server.store.jdbc;

import java.sql.SQLException;
import java.util.Set;
import java.util.UUID;

/**
 * The few expressions the shared SQL needs that SQLite and PostgreSQL spell differently, and what an engine does
 * at the end of a write transaction. Everything else the stores run is the SQL both engines read alike (see
 * docs/ARCHITECTURE.md, "Store").
 */
public interface SqlDialect {
    /** An expression for the UTC calendar day, as text {@code YYYY-MM-DD}, of a column of epoch nanoseconds. */
    String utcDayOfNanos(String column);

    /**
     * Runs last in a write transaction that changed the content of {@code sessions} (chunks, ends, termination
     * requests), on its connection, before the commit: an engine shared by several server instances tells the
     * others here, so that they hear of it exactly when it is committed. One instance alone: nothing to do.
     */
    default void announceChanged(SqlConnection c, Set<UUID> sessions) throws SQLException {
    }
}
