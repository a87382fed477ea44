package org.ttyaudit.server.store.sqlite;

import org.ttyaudit.server.store.StoreException;
import org.ttyaudit.server.store.jdbc.SearchTerms;

import java.util.stream.Collectors;

/**
 * Turns a user's search text into an FTS5 expression that is always valid syntax: every term of
 * {@link SearchTerms} becomes an FTS5 string (so {@code - / : ( ) * ^ NEAR OR NOT} and column names are never
 * operators), the strings are ANDed, and a prefix term gets FTS5's {@code *}. Stateless.
 */
final class FtsQuery {
    private FtsQuery() {
    }

    /** @throws StoreException when the text has no word to search for, or is too long */
    static String toFts5(String query) {
        // a term holds no '"' (it ends words and phrases), so it cannot break out of the FTS5 string "…"
        return SearchTerms.parse(query).stream().map(t -> '"' + t.text() + '"' + (t.prefix() ? "*" : ""))
                .collect(Collectors.joining(" AND "));
    }
}
