package org.ttyaudit.server.store.jdbc;

import org.ttyaudit.server.store.Page;
import org.ttyaudit.server.store.SearchHit;
import org.ttyaudit.server.store.SessionFilter;

/**
 * Full-text search, the one read whose SQL is the engine's own (FTS5 on SQLite, tsvector on
 * PostgreSQL); its contract is {@link org.ttyaudit.server.store.SessionQueries#search}.
 */
@FunctionalInterface
public interface SessionSearch {
    Page<SearchHit> search(String query, SessionFilter filter, String cursor, int limit);
}
