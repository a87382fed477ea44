package org.ttyaudit.server.store;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Reading sessions: listing, details, chunks, commands, events and full-text search. Commands are searchable as
 * soon as their chunk is committed; output text is indexed by a background indexer after the commit, so search of
 * output lags behind ingest (about a second under normal load, more while bulk output arrives faster than it is
 * indexed; see {@link #outputTextIndexedSeq}).
 */
public interface SessionQueries {

    Optional<SessionRecord> get(UUID sessionId);

    /** The most results a page holds; a larger {@code limit} is reduced to it. */
    int MAX_PAGE = 1000;

    /**
     * Newest first (by start time, then id), {@code limit} per page; {@code cursor} null for the first page.
     *
     * @param limit at least 1 (else {@link IllegalArgumentException}); at most {@link #MAX_PAGE} are returned
     * @throws StoreException "invalid cursor" when {@code cursor} is not one this store handed out for a list
     */
    Page<SessionRecord> list(SessionFilter filter, String cursor, int limit);

    /** Chunk rows in seq order. */
    List<ChunkRecord> chunks(UUID sessionId);

    /**
     * The chunk rows with seq ≥ {@code fromSeq}, in seq order, at most {@code limit}: a long session's chunks
     * page by page (the next page starts after the last seq returned).
     *
     * @param limit as for {@link #list}
     */
    List<ChunkRecord> chunks(UUID sessionId, long fromSeq, int limit);

    /**
     * The output text rows of the chunks {@code fromChunkSeq}..{@code toChunkSeq} (inclusive), in chunk seq
     * order and, for one chunk, in the order they were stored. For checking the search index against the chunks.
     */
    List<OutputText> outputText(UUID sessionId, long fromChunkSeq, long toChunkSeq);

    /**
     * The last chunk of the session whose output text is in the search index (the background indexer's durable
     * cursor): −1 when none is, or the session is unknown. Output of later chunks is committed but not searchable
     * yet; {@link WriteTransaction#insertChunk} never advances it, {@link WriteTransaction#outputTextIndexed} does.
     */
    long outputTextIndexedSeq(UUID sessionId);

    /**
     * Sessions whose output text is not all indexed, by session id, starting after {@code afterSessionId} (null
     * for the first), at most {@code limit}. The background indexer's work list.
     */
    List<ChunkBacklog> outputTextBacklog(UUID afterSessionId, int limit);

    /**
     * Sessions with committed chunks the rules have not seen, by session id after {@code afterSessionId} (null for
     * the first), at most {@code limit}: the rule runner's work list ({@link WriteTransaction#rulesEvaluated}).
     */
    List<ChunkBacklog> rulesBacklog(UUID afterSessionId, int limit);

    /** Commands in start order. */
    List<CommandRecord> commands(UUID sessionId);

    /** Events of the given kinds (all kinds when empty), in event seq order. */
    List<SessionEventRecord> events(UUID sessionId, List<String> kinds);

    /**
     * Full-text search over command lines and output text, restricted by {@code filter}; most recent activity
     * first. Order: the hits of each kind (command, output) come newest first by arrival (the order in which the
     * store received the commands and output text); the two kinds are merged by taking, at each step, the later
     * by {@link SearchHit#at()} of the two kinds' next hits (the command on a tie). Hits of live sessions therefore
     * come first, and a session's hits newest first; a session uploaded late (from a recorder's spool) comes
     * where it arrived, not where it started. Following the next cursors yields every hit once; hits stored after
     * the first page was read are not added to later pages (a new search finds them). The cost of a page grows
     * with the page (and with how many matches a filter rejects), not with the number of matches.
     *
     * <p>The query language is small and the same for every implementation, so that no user input is ever a
     * syntax error:
     * <ul>
     *   <li>words (separated by white space) are ANDed; case and diacritics do not matter;</li>
     *   <li>text in double quotes is a phrase (its words adjacent, in order); a missing closing quote ends the
     *       phrase at the end of the query;</li>
     *   <li>a word ending in {@code *} matches words that start with it ({@code pass*});</li>
     *   <li>a word starting with {@code *} ({@code *etc/shad*}, or {@code *etc/shad}: the same) is a substring term:
     *       it matches command lines that contain its text (between the outer stars) anywhere, inside words too,
     *       case-insensitively but with diacritics as typed, every character literal (punctuation, {@code % _ \},
     *       inner stars); it needs at least 3 characters. Substring terms search command lines only: a query with
     *       one has no output hits;</li>
     *   <li>every other character is literal: punctuation such as {@code - / : . ( )} separates words just as it
     *       does in the searched text, so {@code /etc/passwd} finds the phrase "etc passwd" and {@code passwd}
     *       finds {@code cat /etc/passwd}; operators of the underlying engine ({@code OR}, {@code NOT},
     *       {@code NEAR}, column filters) are plain words.</li>
     * </ul>
     *
     * @param limit as for {@link #list}
     * @throws StoreException with a message naming the problem when the query has no word to search for, is
     *                        longer than 1000 characters, has more than 64 words or a substring term shorter than
     *                        3 characters, or the cursor is invalid
     */
    Page<SearchHit> search(String query, SessionFilter filter, String cursor, int limit);
}
