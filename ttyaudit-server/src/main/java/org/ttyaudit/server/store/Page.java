package org.ttyaudit.server.store;

import java.util.List;

/** One page of results and the cursor of the next page (null on the last page). Cursors are opaque strings. */
public record Page<T>(List<T> items, String nextCursor) {
    public Page {
        items = List.copyOf(items);
    }
}
