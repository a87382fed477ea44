package org.ttyaudit.server.store.jdbc;

import org.ttyaudit.server.store.Page;
import org.ttyaudit.server.store.SearchHit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * The order and paging of search hits that every engine shares (the contract of
 * {@link org.ttyaudit.server.store.SessionQueries#search}): each kind's hits come newest first by arrival, that is
 * by its table's row id descending (ids are given in insert order, and inserts are serialised); the two kinds are
 * merged by taking, at each step, the later by hit time of the two next hits (a command on a tie). The two tables'
 * ids are separate sequences, so they are never compared with each other: the cursor holds the position of each
 * stream (the smallest id of each kind handed out so far). Since the merge only looks at the two streams' next
 * hits, following the cursors yields exactly the merge of the whole streams: every hit once, none skipped. Rows
 * inserted after a page was read have larger ids and so belong before it; they show up in a new search only.
 */
public final class SearchMerge {
    private static final String LISTING = "search";

    private SearchMerge() {
    }

    /** Where a page starts in each stream: hits with an id below these. */
    public record Position(long commandsBefore, long outputBefore) {
        /** The position of {@code cursor}; the start of both streams when it is null. */
        public static Position of(String cursor) {
            Cursors.Key after = Cursors.decode(LISTING, cursor, 2);
            return after == null ? new Position(Long.MAX_VALUE, Long.MAX_VALUE)
                    : new Position(after.longAt(0), after.longAt(1));
        }
    }

    /** One hit as an engine reads it: its kind, its row id in its table, and its time in epoch nanoseconds. */
    public record Row(String kind, long rowId, long atNanos, String sessionId, long offset, String user, String host,
                      String snippet) {
        public Row withSnippet(String s) {
            return new Row(kind, rowId, atNanos, sessionId, offset, user, host, s);
        }

        /**
         * The hit of the current row of a stream's query, whose columns are named {@code rid} (row id),
         * {@code at_ns}, {@code sid} (session id), {@code off} (offset), {@code user_name} and {@code host}.
         */
        public static Row read(String kind, ResultSet rs) throws SQLException {
            return new Row(kind, rs.getLong("rid"), rs.getLong("at_ns"), rs.getString("sid"), rs.getLong("off"),
                    rs.getString("user_name"), rs.getString("host"), null);
        }

        public boolean isCommand() {
            return kind.equals(SearchHit.COMMAND);
        }

        /** A command hit is at the command's start; an output hit at its chunk's start in the session. */
        SearchHit toHit() {
            return new SearchHit(UUID.fromString(sessionId), kind, EpochNanos.toInstant(atNanos), offset, snippet,
                    user, host);
        }
    }

    /** Makes the snippets of a page's hits (all at once: an engine reads their texts in one statement per kind). */
    @FunctionalInterface
    public interface SnippetMaker {
        /** The snippet of each of {@code items} (a hit that has none gets ""). */
        Function<Row, String> forPage(List<Row> items) throws SQLException;
    }

    /**
     * The rows of a page: the first {@code pageSize} of the merge of the two streams (each read with
     * {@code pageSize + 1} rows) with their snippets, and the next row after them, if any, without one (only its
     * presence matters: there is a next page). For {@link #page}.
     */
    public static List<Row> pageRows(List<Row> commands, List<Row> output, int pageSize, SnippetMaker snippets)
            throws SQLException {
        List<Row> merged = newestFirst(commands, output, pageSize + 1);
        List<Row> items = merged.subList(0, Math.min(pageSize, merged.size()));
        Function<Row, String> snippetOf = snippets.forPage(items);
        List<Row> out = new ArrayList<>(merged.size());
        for (Row r : items) {
            out.add(r.withSnippet(snippetOf.apply(r)));
        }
        if (merged.size() > pageSize) {
            out.add(merged.get(pageSize));
        }
        return out;
    }

    /** The first {@code max} of the merge of two kinds' hits, each list newest first by its row id. */
    public static List<Row> newestFirst(List<Row> commands, List<Row> output, int max) {
        List<Row> out = new ArrayList<>(Math.min(max, commands.size() + output.size()));
        int i = 0;
        int j = 0;
        while (out.size() < max && (i < commands.size() || j < output.size())) {
            boolean takeCommand = j == output.size()
                    || i < commands.size() && commands.get(i).atNanos >= output.get(j).atNanos;
            out.add(takeCommand ? commands.get(i++) : output.get(j++));
        }
        return out;
    }

    /**
     * The page of {@code rows} (the merge, read with {@code pageSize + 1} from each stream, of which only the
     * first {@code pageSize + 1} are passed): a next cursor when there is a row beyond the page.
     */
    public static Page<SearchHit> page(List<Row> rows, int pageSize, Position from) {
        if (rows.size() <= pageSize) {
            return new Page<>(rows.stream().map(Row::toHit).toList(), null);
        }
        List<Row> items = rows.subList(0, pageSize);
        long nextCommands = from.commandsBefore();
        long nextOutput = from.outputBefore();
        for (Row r : items) {
            if (r.isCommand()) {
                nextCommands = Math.min(nextCommands, r.rowId());
            } else {
                nextOutput = Math.min(nextOutput, r.rowId());
            }
        }
        return new Page<>(items.stream().map(Row::toHit).toList(), Cursors.encode(LISTING, nextCommands, nextOutput));
    }
}
