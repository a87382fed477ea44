package org.ttyaudit.server.store.jdbc;

import org.ttyaudit.server.store.Page;
import org.ttyaudit.server.store.SessionQueries;

import java.util.List;
import java.util.function.Function;

/**
 * Keyset paging: a query fetches one row more than the page holds; when it comes back, the page has a next
 * cursor (the sort key of the page's last row), so the last page never points at an empty one.
 */
public final class Paging {
    private Paging() {
    }

    /** The page size for {@code limit}: at least 1, at most {@link SessionQueries#MAX_PAGE}. */
    public static int pageSize(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("a page holds at least 1 item, not " + limit);
        }
        return Math.min(limit, SessionQueries.MAX_PAGE);
    }

    /** The page of {@code rows} (fetched with {@code pageSize + 1} as the SQL limit). */
    public static <T> Page<T> page(List<T> rows, int pageSize, Function<T, String> cursorOf) {
        if (rows.size() <= pageSize) {
            return new Page<>(rows, null);
        }
        List<T> items = rows.subList(0, pageSize);
        return new Page<>(items, cursorOf.apply(items.get(pageSize - 1)));
    }
}
