package org.ttyaudit.server.store.jdbc;

/**
 * The few expressions the shared SQL needs that SQLite and PostgreSQL spell differently. Everything else the
 * stores run is the SQL both engines read alike (see docs/ARCHITECTURE.md, "Store").
 */
public interface SqlDialect {
    /** An expression for the UTC calendar day, as text {@code YYYY-MM-DD}, of a column of epoch nanoseconds. */
    String utcDayOfNanos(String column);
}
