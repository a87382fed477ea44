package org.ttyaudit.server.store.postgres;

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

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Full-text search on PostgreSQL: each kind's matches ({@code search_words @@ tsquery}, the stored words of
 * {@link PostgresSchema} and their GIN indexes) newest arrival first, merged and paged by {@link SearchMerge} exactly
 * as on SQLite; then the texts of the page's hits only are read and their snippets made by {@link Snippets}. All
 * in one read-only snapshot, so the streams and the texts agree.
 *
 * <p>Substring terms ({@code *text*}) search command lines only: each is {@code command_line COLLATE "und-x-icu"
 * ILIKE '%text%'}, served by the trigram index of {@link PostgresSchema} (whose column has that collation, so the
 * planner can use it, and ICU folds the case of every script whatever the database's LC_CTYPE); a query with one
 * has no output hits.
 *
 * <p>Each kind's page is read in at most two statements, because a GIN index has no order and the planner cannot
 * know how a word's matches spread over the arrival order. The first <em>walks</em> the newest rows, at most
 * {@code walkRows} of them, and checks each: a word that is common among recent rows fills the page there, at a
 * bounded cost (a full page from the walk is exact: every row it did not read is older). Only when it does not fill
 * the page does the second statement run, which the planner may not serve by walking the arrival index (its order
 * is {@code id + 0}, which no index gives): it collects all matches from the GIN indexes, or from the sessions a
 * filter selects, and sorts them, which is cheap exactly when matches are rare. Left to itself the planner walked
 * the whole table for a word it wrongly thought common (a command word that hardly occurs in output, a prefix):
 * 22–29 s over 10 M commands (docs/PERFORMANCE.md).
 */
final class PostgresSearch implements SessionSearch {
    /** Rows each walk may read: about 20 ms of commands, 15 ms of output text (larger rows) on a 2-core machine. */
    static final int COMMAND_WALK_ROWS = 20_000;
    static final int OUTPUT_WALK_ROWS = 5_000;

    private final PostgresDatabase db;
    private final HitStream commands;
    private final HitStream output;

    PostgresSearch(PostgresDatabase db) {
        this(db, COMMAND_WALK_ROWS, OUTPUT_WALK_ROWS);
    }

    /** With other walk lengths (tests reach the second statement with a few rows). */
    PostgresSearch(PostgresDatabase db, int commandWalkRows, int outputWalkRows) {
        this.db = db;
        this.commands = commands(commandWalkRows);
        this.output = new HitStream(SearchHit.OUTPUT, "output_text", "text", "first_offset_us",
                "s.started_at + x.first_offset_us * 1000", "id, session_id, first_offset_us, text, search_words",
                outputWalkRows);
    }

    @Override
    public Page<SearchHit> search(String query, SessionFilter filter, String cursor, int limit) {
        SearchQuery q = SearchQuery.of(query);
        int pageSize = Paging.pageSize(limit);
        SearchMerge.Position from = SearchMerge.Position.of(cursor);
        List<Row> page = db.readSnapshot("searching for " + query, c -> {
            serial(c);
            return SearchMerge.pageRows(
                    commands.read(c, q, filter, from.commandsBefore(), pageSize + 1),
                    q.hasSubstrings() ? List.of() : output.read(c, q, filter, from.outputBefore(), pageSize + 1),
                    pageSize, items -> {
                        Map<Long, String> commandTexts = commands.texts(c, items);
                        Map<Long, String> outputTexts = output.texts(c, items);
                        return r -> Snippets.of((r.isCommand() ? commandTexts : outputTexts)
                                .getOrDefault(r.rowId(), ""), q.phrases(), q.substrings());
                    });
        });
        return SearchMerge.page(page, pageSize, from);
    }

    /**
     * Makes the statements of the search's transaction run without parallel workers. Measured over 10 M commands
     * (docs/PERFORMANCE.md): starting workers cost a rare word's GIN statement 40 ms of its 44, and parallel plans
     * chosen for a user's or a few hours' sessions took 4–10 times as long as the serial ones (300 against 30 ms,
     * 400 against 100 ms); only a window holding a sixth of all commands was faster in parallel (2 against 8 s).
     * A search is interactive and shares the cores with ingest, so it takes one core.
     */
    static SqlConnection serial(SqlConnection c) throws SQLException {
        c.execute("SET LOCAL max_parallel_workers_per_gather = 0");
        return c;
    }

    /**
     * The statement that reads the command hits of {@code query}'s first page from the indexes, when the walk of
     * the newest rows did not fill it (for EXPLAIN in tests).
     */
    static String commandsIndexSql(String query, SessionFilter filter, int limit, List<Object> params) {
        return commands(COMMAND_WALK_ROWS).indexSql(SearchQuery.of(query), filter, Long.MAX_VALUE, limit, params);
    }

    private static HitStream commands(int walkRows) {
        return new HitStream(SearchHit.COMMAND, "commands", "command_line", "start_offset_us", "x.started_at",
                "id, session_id, start_offset_us, started_at, command_line, search_words", walkRows);
    }

    /**
     * One kind of hit: its table, its searched column, its offset column and instant (an expression over {@code x}
     * and the session {@code s}), and the columns those need (what the walk's subquery passes on).
     */
    private record HitStream(String kind, String table, String textColumn, String offsetColumn, String atNanos,
                             String columns, int walkRows) {
        /** The newest {@code limit} matches before {@code before}: from the walk if it finds them all, else the indexes. */
        List<Row> read(SqlConnection c, SearchQuery q, SessionFilter filter, long before, int limit)
                throws SQLException {
            List<Object> params = new ArrayList<>();
            List<Row> newest = rows(c, walkSql(q, filter, before, limit, params), params);
            if (newest.size() >= limit) {
                return newest;
            }
            params.clear();
            return rows(c, indexSql(q, filter, before, limit, params), params);
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

        /**
         * The matches among the newest {@link #walkRows} rows before {@code before}: the subquery's LIMIT keeps the
         * conditions out of it (PostgreSQL pushes none into a subquery with a LIMIT), so it reads exactly those rows
         * backwards along the arrival index, whatever the planner thinks of the words.
         */
        String walkSql(SearchQuery q, SessionFilter filter, long before, int limit, List<Object> params) {
            StringBuilder sql = select().append(" FROM (SELECT ").append(columns).append(" FROM ").append(table)
                    .append(" WHERE id < ? ORDER BY id DESC LIMIT ?) x")
                    .append(" JOIN sessions s ON s.id = x.session_id WHERE true");
            params.add(before);
            params.add(walkRows);
            conditions(sql, q, filter, params).append(" ORDER BY x.id DESC LIMIT ?");
            params.add(limit);
            return sql.toString();
        }

        /** All matches before {@code before}, sorted: {@code id + 0} keeps the planner off the arrival index. */
        String indexSql(SearchQuery q, SessionFilter filter, long before, int limit, List<Object> params) {
            StringBuilder sql = select().append(" FROM ").append(table)
                    .append(" x JOIN sessions s ON s.id = x.session_id WHERE x.id < ?");
            params.add(before);
            conditions(sql, q, filter, params).append(" ORDER BY x.id + 0 DESC LIMIT ?");
            params.add(limit);
            return sql.toString();
        }

        private StringBuilder select() {
            return new StringBuilder("SELECT x.id AS rid, s.id AS sid, x.").append(offsetColumn).append(" AS off, ")
                    .append(atNanos).append(" AS at_ns, s.user_name AS user_name, s.host AS host");
        }

        /** The query's and the filter's conditions on {@code x} and {@code s}. */
        private StringBuilder conditions(StringBuilder sql, SearchQuery q, SessionFilter filter, List<Object> params) {
            if (q.hasWords()) {
                sql.append(" AND x.search_words @@ to_tsquery('ttyaudit_search', ?)");
                params.add(q.tsquery());
            }
            for (String pattern : q.patterns()) {
                // the expression of the trigram index exactly, or the planner cannot use it
                sql.append(" AND x.").append(textColumn).append(" COLLATE \"und-x-icu\" ILIKE ? ESCAPE E'\\\\'");
                params.add(pattern);
            }
            SessionFilterSql.append(filter, "s", sql, params);
            return sql;
        }

        /** The texts of this kind's rows among {@code page}, by row id. */
        Map<Long, String> texts(SqlConnection c, List<Row> page) throws SQLException {
            List<Row> mine = page.stream().filter(r -> r.kind().equals(kind)).toList();
            Map<Long, String> out = new HashMap<>();
            if (mine.isEmpty()) {
                return out;
            }
            // by (session_id, id): each lookup is pruned to its session's partition
            StringBuilder sql = new StringBuilder("SELECT id, ").append(textColumn).append(" FROM ").append(table)
                    .append(" WHERE (session_id, id) IN (");
            List<Object> params = new ArrayList<>();
            for (int i = 0; i < mine.size(); i++) {
                sql.append(i == 0 ? "(?, ?)" : ", (?, ?)");
                params.add(mine.get(i).sessionId());
                params.add(mine.get(i).rowId());
            }
            sql.append(")");
            try (ResultSet rs = Sql.bind(c.prepare(sql.toString()), params.toArray()).executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getLong(1), rs.getString(2));
                }
            }
            return out;
        }
    }
}
