package org.ttyaudit.server.store.jdbc;

/**
 * Runs write transactions with the guarantee of {@link org.ttyaudit.server.store.Store#write}: durable when it
 * returns, rolled back when the work throws, and serialised with every other write to the same database (by one
 * writer connection for SQLite, by a transaction-level lock for PostgreSQL, where several processes write).
 */
public interface SqlWriter {
    /** Runs {@code work} as one durable transaction; {@code what} names it in error messages. */
    <T> T transaction(String what, Sql.Work<T> work);
}
