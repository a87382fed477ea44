package org.ttyaudit.server.store.sqlite;

import org.ttyaudit.server.store.Page;
import org.ttyaudit.server.store.SearchHit;
import org.ttyaudit.server.store.SessionFilter;
import org.ttyaudit.server.store.jdbc.Paging;
import org.ttyaudit.server.store.jdbc.SearchMerge;
import org.ttyaudit.server.store.jdbc.SearchMerge.Row;
import org.ttyaudit.server.store.jdbc.SessionFilterSql;
import org.ttyaudit.server.store.jdbc.SessionSearch;
import org.ttyaudit.server.store.jdbc.Snippets;
import org.ttyaudit.server.store.jdbc.Sql;
import org.ttyaudit.server.store.jdbc.SqlConnection;
import org.ttyaudit.server.store.jdbc.SqlReaders;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Full-text search over the two FTS5 indexes (command lines and output text), in two steps on one snapshot: the
 * page's hits are found from the indexes and row keys alone, then snippets are made for those hits only, one
 * statement per kind. (A snippet re-reads and re-tokenises its text; making one for every match of a common word
 * would read every output chunk that contains it.)
 *
 * <p>Order and paging are {@link SearchMerge}'s. FTS5 walks a doclist by {@code rowid DESC} lazily, so a page
 * reads about as many matches as it returns (more when a filter rejects many of them) instead of finding, joining
 * and sorting every match.
 *
 * <p>Substring terms ({@code *text*}) search command lines only, through the trigram index
 * ({@code commands_trigram}): a query with one has no output hits, its command hits are walked in the trigram
 * index (the word terms, if any, checked a batch at a time against the word index), and their snippets are made
 * by {@link Snippets}, since neither index can mark both kinds of term.
 */
final class SqliteSearch implements SessionSearch {
    private static final int SNIPPET_TOKENS = 24;
    private static final HitStream COMMANDS = new HitStream(SearchHit.COMMAND, "commands_fts", "commands",
            "command_line", "x.start_offset_us", "x.started_at");
    private static final HitStream OUTPUT = new HitStream(SearchHit.OUTPUT, "output_fts", "output_text", "text",
            "x.first_offset_us", "s.started_at + x.first_offset_us * 1000");
    private static final String TRIGRAMS = "commands_trigram";
    /** Rows of the trigram walk checked against the word index at once: the first batch, and the most. */
    private static final int MIN_BATCH = 256;
    private static final int MAX_BATCH = 16_384;

    private final SqlReaders readers;

    SqliteSearch(SqlReaders readers) {
        this.readers = readers;
    }

    @Override
    public Page<SearchHit> search(String query, SessionFilter filter, String cursor, int limit) {
        FtsQuery q = FtsQuery.of(query);
        int pageSize = Paging.pageSize(limit);
        SearchMerge.Position from = SearchMerge.Position.of(cursor);

        List<Row> page = readers.read("searching for " + query, c -> {
            c.execute("BEGIN");
            try {
                if (q.substrings() != null) {
                    // the merged page's pageSize + 1 hits come from at most pageSize + 1 of each stream
                    return SearchMerge.pageRows(COMMANDS.readSubstrings(c, q, filter, from.commandsBefore(),
                            pageSize + 1), List.of(), pageSize, items -> {
                                Map<Long, String> texts = COMMANDS.texts(c, items);
                                return r -> Snippets.of(texts.getOrDefault(r.rowId(), ""), q.phrases(),
                                        q.substringText());
                            });
                }
                String match = q.words();
                return SearchMerge.pageRows(COMMANDS.read(c, match, filter, from.commandsBefore(), pageSize + 1),
                        OUTPUT.read(c, match, filter, from.outputBefore(), pageSize + 1), pageSize, items -> {
                            Map<Long, String> commands = COMMANDS.snippets(c, match, items);
                            Map<Long, String> output = OUTPUT.snippets(c, match, items);
                            return r -> (r.isCommand() ? commands : output).getOrDefault(r.rowId(), "");
                        });
            } finally {
                c.execute("COMMIT");
            }
        });
        return SearchMerge.page(page, pageSize, from);
    }

    /**
     * One kind's hits, newest first: the FTS table drives the query ({@code CROSS JOIN} keeps SQLite from
     * starting at the sessions when a filter has an index) and its {@code ORDER BY rowid DESC} is served by the
     * index itself, so with the {@code LIMIT} the walk stops once enough matches passed the filter.
     */
    private record HitStream(String kind, String fts, String table, String textColumn, String offset,
                             String atNanos) {
        List<Row> read(SqlConnection c, String match, SessionFilter filter, long before, int limit)
                throws SQLException {
            return read(c, fts, match, filter, before, limit);
        }

        /**
         * The hits of a query with substring terms, walked in the trigram index. Its word terms, if any, are not
         * checked row by row (a seek in every word's doclist per line: half a second for a word and a substring
         * that rarely meet, over 1 M commands) but a batch of the walk at a time, against the word index's
         * matches in the batch's row id range, which FTS5 reads in one pass; batches grow until the page is full.
         */
        List<Row> readSubstrings(SqlConnection c, FtsQuery q, SessionFilter filter, long before, int limit)
                throws SQLException {
            if (q.words() == null) {
                return read(c, TRIGRAMS, q.substrings(), filter, before, limit);
            }
            List<Row> rows = new ArrayList<>();
            long bound = before;
            int batch = Math.max(MIN_BATCH, 4 * limit);
            while (rows.size() < limit) {
                List<Long> ids = rowIds(c, TRIGRAMS, q.substrings(), bound, batch);
                if (ids.isEmpty()) {
                    break;
                }
                rows.addAll(read(c, ids, q.words(), filter, limit - rows.size()));
                if (ids.size() < batch) {
                    break;
                }
                bound = ids.get(ids.size() - 1);
                batch = Math.min(MAX_BATCH, 4 * batch);
            }
            return rows;
        }

        /** The row ids below {@code before} that {@code match} finds in {@code index}, newest first. */
        private static List<Long> rowIds(SqlConnection c, String index, String match, long before, int limit)
                throws SQLException {
            String sql = "SELECT rowid FROM " + index + " WHERE " + index + " MATCH ? AND rowid < ?"
                    + " ORDER BY rowid DESC LIMIT ?";
            List<Long> out = new ArrayList<>();
            try (ResultSet rs = Sql.bind(c.prepare(sql), match, before, limit).executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
            return out;
        }

        /** The hits among {@code ids} (newest first) that {@code words} finds in this kind's word index too. */
        private List<Row> read(SqlConnection c, List<Long> ids, String words, SessionFilter filter, int limit)
                throws SQLException {
            List<Object> params = new ArrayList<>();
            StringBuilder sql = new StringBuilder("SELECT x.id AS rid, s.id AS sid, ").append(offset)
                    .append(" AS off, ").append(atNanos).append(" AS at_ns, s.user_name AS user_name,")
                    .append(" s.host AS host FROM ").append(table)
                    .append(" x CROSS JOIN sessions s ON s.id = x.session_id")
                    .append(" WHERE x.id IN (SELECT value FROM json_each(?)) AND x.id IN (SELECT rowid FROM ")
                    .append(fts).append(" WHERE ").append(fts).append(" MATCH ? AND rowid BETWEEN ? AND ?)");
            params.add(idList(ids));
            params.add(words);
            params.add(ids.get(ids.size() - 1));
            params.add(ids.get(0));
            SessionFilterSql.append(filter, "s", sql, params);
            sql.append(" ORDER BY x.id DESC LIMIT ?");
            params.add(limit);
            return rows(c, sql.toString(), params);
        }

        private List<Row> rows(SqlConnection c, String sql, List<Object> params) throws SQLException {
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = Sql.bind(c.prepare(sql), params.toArray()).executeQuery()) {
                while (rs.next()) {
                    rows.add(Row.read(kind, rs));
                }
            }
            return rows;
        }

        private List<Row> read(SqlConnection c, String driver, String match, SessionFilter filter, long before,
                               int limit) throws SQLException {
            List<Object> params = new ArrayList<>();
            StringBuilder sql = new StringBuilder("SELECT ").append(driver).append(".rowid AS rid, s.id AS sid, ")
                    .append(offset).append(" AS off, ").append(atNanos).append(" AS at_ns, s.user_name AS user_name,")
                    .append(" s.host AS host FROM ").append(driver).append(" CROSS JOIN ").append(table)
                    .append(" x ON x.id = ").append(driver).append(".rowid")
                    .append(" CROSS JOIN sessions s ON s.id = x.session_id")
                    .append(" WHERE ").append(driver).append(" MATCH ? AND ").append(driver).append(".rowid < ?");
            params.add(match);
            params.add(before);
            SessionFilterSql.append(filter, "s", sql, params);
            sql.append(" ORDER BY ").append(driver).append(".rowid DESC LIMIT ?");
            params.add(limit);
            return rows(c, sql.toString(), params);
        }

        /**
         * Snippets of this kind's rows among {@code page}, by row id, in one statement: a prefix query costs
         * FTS5 a merge of every matching term's doclist each time it is evaluated (about 10 ms for {@code kube*}
         * over 10 M commands), so a statement per hit would cost that 50 times. The row id range is the stretch
         * of the index the page's walk has already read; rows in it that the filter rejected get no snippet.
         */
        Map<Long, String> snippets(SqlConnection c, String match, List<Row> page) throws SQLException {
            List<Long> ids = ids(page);
            Map<Long, String> out = new HashMap<>();
            if (ids.isEmpty()) {
                return out;
            }
            String sql = "SELECT rowid, CASE WHEN rowid IN (SELECT value FROM json_each(?)) THEN snippet(" + fts
                    + ", 0, '[[', ']]', '…', " + SNIPPET_TOKENS + ") END AS snippet FROM " + fts + " WHERE " + fts
                    + " MATCH ? AND rowid BETWEEN ? AND ?";
            try (ResultSet rs = Sql.bind(c.prepare(sql), idList(ids), match, Collections.min(ids),
                    Collections.max(ids)).executeQuery()) {
                while (rs.next()) {
                    String snippet = rs.getString("snippet");
                    if (snippet != null) {
                        out.put(rs.getLong("rowid"), snippet);
                    }
                }
            }
            return out;
        }

        /** The texts of this kind's rows among {@code page}, by row id, in one statement. */
        Map<Long, String> texts(SqlConnection c, List<Row> page) throws SQLException {
            List<Long> ids = ids(page);
            Map<Long, String> out = new HashMap<>();
            if (ids.isEmpty()) {
                return out;
            }
            String sql = "SELECT id, " + textColumn + " FROM " + table
                    + " WHERE id IN (SELECT value FROM json_each(?))";
            try (ResultSet rs = Sql.bind(c.prepare(sql), idList(ids)).executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getLong(1), rs.getString(2));
                }
            }
            return out;
        }

        private List<Long> ids(List<Row> page) {
            return page.stream().filter(r -> r.kind().equals(kind)).map(Row::rowId).toList();
        }

        private static String idList(List<Long> ids) {
            return ids.stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]"));
        }
    }
}
