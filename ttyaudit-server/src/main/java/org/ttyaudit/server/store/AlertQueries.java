package org.ttyaudit.server.store;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reading alerts. Thread-safe; sees committed writes only. */
public interface AlertQueries {
    Optional<AlertRecord> get(UUID id);

    /**
     * Newest first (by time, then id), each with its session's user and host, {@code limit} per page;
     * {@code cursor} null for the first page.
     *
     * @param limit as for {@link SessionQueries#list}
     * @throws StoreException "invalid cursor" when the cursor is not one this store handed out for alerts
     */
    Page<ListedAlert> list(AlertFilter filter, String cursor, int limit);

    /** A session's alerts in the order they happened in it (offset, then id); at most {@code limit}. */
    List<AlertRecord> forSession(UUID sessionId, int limit);
}
