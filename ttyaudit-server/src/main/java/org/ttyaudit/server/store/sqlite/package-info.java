/**
 * The embedded store: {@link org.ttyaudit.server.store.sqlite.SqliteStore}, one SQLite database file in WAL mode
 * with FTS5 full-text search. One writer connection serialises every write; a small pool of query-only
 * connections serves reads, which WAL lets run beside a write without waiting for it. All SQL of the store lives
 * in this package.
 */
package org.ttyaudit.server.store.sqlite;
