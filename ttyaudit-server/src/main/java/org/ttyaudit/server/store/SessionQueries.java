package org.ttyaudit.server.store;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reading sessions: listing, details, chunks, commands, events and full-text search. */
public interface SessionQueries {

    Optional<SessionRecord> get(UUID sessionId);

    /** Newest first (by start time, then id), {@code limit} per page; {@code cursor} null for the first page. */
    Page<SessionRecord> list(SessionFilter filter, String cursor, int limit);

    /** Chunk rows in seq order. */
    List<ChunkRecord> chunks(UUID sessionId);

    /** Commands in start order. */
    List<CommandRecord> commands(UUID sessionId);

    /** Events of the given kinds (all kinds when empty), in event seq order. */
    List<SessionEventRecord> events(UUID sessionId, List<String> kinds);

    /**
     * Full-text search over command lines and output text (FTS5 query syntax for {@code query}; words are
     * ANDed), restricted by {@code filter}; newest sessions first, then by offset.
     *
     * @throws StoreException with a message naming the problem when the query is not valid syntax
     */
    Page<SearchHit> search(String query, SessionFilter filter, String cursor, int limit);
}
