/**
 * The PostgreSQL {@link org.ttyaudit.server.store.Store}, for several server instances sharing one database: a
 * connection pool (HikariCP), versioned schema migrations applied under an advisory lock, writes serialised
 * across processes by a transaction-level advisory lock, full-text search with tsvector, and session content in
 * tables range-partitioned by month of the session id (UUIDv7). The SQL shared with SQLite is in
 * {@link org.ttyaudit.server.store.jdbc}.
 */
package org.ttyaudit.server.store.postgres;
