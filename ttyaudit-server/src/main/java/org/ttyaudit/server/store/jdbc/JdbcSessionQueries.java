package org.ttyaudit.server.store.jdbc;

import org.ttyaudit.server.store.ChunkRecord;
import org.ttyaudit.server.store.CommandRecord;
import org.ttyaudit.server.store.OutputText;
import org.ttyaudit.server.store.Page;
import org.ttyaudit.server.store.SearchHit;
import org.ttyaudit.server.store.SessionEventRecord;
import org.ttyaudit.server.store.SessionFilter;
import org.ttyaudit.server.store.SessionQueries;
import org.ttyaudit.server.store.SessionRecord;
import org.ttyaudit.server.store.ChunkBacklog;

import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** {@link SessionQueries} on the read pool; search is the engine's {@link SessionSearch}. Thread-safe. */
public final class JdbcSessionQueries implements SessionQueries {
    private static final String LISTING = "sessions";

    private final SqlReaders readers;
    private final SessionSearch search;

    JdbcSessionQueries(SqlReaders readers, SessionSearch search) {
        this.readers = readers;
        this.search = search;
    }

    @Override
    public Optional<SessionRecord> get(UUID sessionId) {
        return readers.read("reading session " + sessionId, c -> {
            try (ResultSet rs = Sql.bind(c.prepare("SELECT " + SessionRows.SESSION_COLUMNS
                    + " FROM sessions WHERE id = ?"), sessionId.toString()).executeQuery()) {
                return rs.next() ? Optional.of(SessionRows.session(rs)) : Optional.empty();
            }
        });
    }

    @Override
    public Page<SessionRecord> list(SessionFilter filter, String cursor, int limit) {
        int pageSize = Paging.pageSize(limit);
        List<Object> params = new ArrayList<>();
        String sql = listingSql(filter, Cursors.decode(LISTING, cursor, 2), pageSize + 1, params);
        List<SessionRecord> rows = readers.read("listing sessions", c -> {
            List<SessionRecord> out = new ArrayList<>();
            try (ResultSet rs = Sql.bind(c.prepare(sql), params.toArray()).executeQuery()) {
                while (rs.next()) {
                    out.add(SessionRows.session(rs));
                }
            }
            return out;
        });
        return Paging.page(rows, pageSize, s -> Cursors.encode(LISTING, EpochNanos.of(s.header().startedAt()),
                s.id()));
    }

    /** The listing's statement, newest first, after {@code after} (null: from the newest); its values go to params. */
    public static String listingSql(SessionFilter filter, Cursors.Key after, int limit, List<Object> params) {
        StringBuilder sql = new StringBuilder("SELECT " + SessionRows.SESSION_COLUMNS + " FROM sessions s WHERE 1 = 1");
        SessionFilterSql.append(filter, "s", sql, params);
        if (after != null) {
            sql.append(" AND (s.started_at, s.id) < (?, ?)");
            params.add(after.longAt(0));
            params.add(after.uuidAt(1));
        }
        sql.append(" ORDER BY s.started_at DESC, s.id DESC LIMIT ?");
        params.add(limit);
        return sql.toString();
    }

    @Override
    public List<ChunkRecord> chunks(UUID sessionId) {
        return readers.read("reading the chunks of session " + sessionId, c -> {
            List<ChunkRecord> out = new ArrayList<>();
            try (ResultSet rs = Sql.bind(c.prepare("SELECT " + SessionRows.CHUNK_COLUMNS
                    + " FROM chunks WHERE session_id = ? ORDER BY seq"), sessionId.toString()).executeQuery()) {
                while (rs.next()) {
                    out.add(SessionRows.chunk(rs));
                }
            }
            return out;
        });
    }

    @Override
    public List<ChunkRecord> chunks(UUID sessionId, long fromSeq, int limit) {
        int pageSize = Paging.pageSize(limit);
        return readers.read("reading the chunks of session " + sessionId + " from " + fromSeq, c -> {
            List<ChunkRecord> out = new ArrayList<>();
            try (ResultSet rs = Sql.bind(c.prepare("SELECT " + SessionRows.CHUNK_COLUMNS
                            + " FROM chunks WHERE session_id = ? AND seq >= ? ORDER BY seq LIMIT ?"),
                    sessionId.toString(), fromSeq, pageSize).executeQuery()) {
                while (rs.next()) {
                    out.add(SessionRows.chunk(rs));
                }
            }
            return out;
        });
    }

    @Override
    public List<OutputText> outputText(UUID sessionId, long fromChunkSeq, long toChunkSeq) {
        return readers.read("reading the output text of session " + sessionId, c -> {
            List<OutputText> out = new ArrayList<>();
            try (ResultSet rs = Sql.bind(c.prepare("SELECT chunk_seq, first_offset_us, text FROM output_text"
                            + " WHERE session_id = ? AND chunk_seq BETWEEN ? AND ? ORDER BY chunk_seq, id"),
                    sessionId.toString(), fromChunkSeq, toChunkSeq).executeQuery()) {
                while (rs.next()) {
                    out.add(new OutputText(sessionId, rs.getLong(1), rs.getLong(2), rs.getString(3)));
                }
            }
            return out;
        });
    }

    @Override
    public long outputTextIndexedSeq(UUID sessionId) {
        return readers.read("reading the output text cursor of session " + sessionId, c -> {
            try (ResultSet rs = Sql.bind(c.prepare("SELECT text_indexed_seq FROM sessions WHERE id = ?"),
                    sessionId.toString()).executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1L;
            }
        });
    }

    @Override
    public List<ChunkBacklog> outputTextBacklog(UUID afterSessionId, int limit) {
        return backlog("text_indexed_seq", "the output text backlog", afterSessionId, limit);
    }

    @Override
    public List<ChunkBacklog> rulesBacklog(UUID afterSessionId, int limit) {
        return backlog("rules_seq", "the rules backlog", afterSessionId, limit);
    }

    /** The sessions whose cursor {@code column} is behind their committed chunks, by id after {@code after}. */
    private List<ChunkBacklog> backlog(String column, String what, UUID afterSessionId, int limit) {
        int pageSize = Paging.pageSize(limit);
        // the WHERE repeats the partial index's condition, so the engine reads only that index
        return readers.read("listing " + what, c -> {
            List<ChunkBacklog> out = new ArrayList<>();
            try (ResultSet rs = Sql.bind(c.prepare("SELECT id, " + column + ", committed_seq FROM sessions"
                            + " WHERE " + column + " < committed_seq AND id > ? ORDER BY id LIMIT ?"),
                    afterSessionId == null ? "" : afterSessionId.toString(), pageSize).executeQuery()) {
                while (rs.next()) {
                    out.add(new ChunkBacklog(UUID.fromString(rs.getString(1)), rs.getLong(2), rs.getLong(3)));
                }
            }
            return out;
        });
    }

    @Override
    public List<CommandRecord> commands(UUID sessionId) {
        return readers.read("reading the commands of session " + sessionId, c -> {
            List<CommandRecord> out = new ArrayList<>();
            try (ResultSet rs = Sql.bind(c.prepare("SELECT " + SessionRows.COMMAND_COLUMNS
                            + " FROM commands WHERE session_id = ? ORDER BY start_offset_us, command_id"),
                    sessionId.toString()).executeQuery()) {
                while (rs.next()) {
                    out.add(SessionRows.command(rs));
                }
            }
            return out;
        });
    }

    @Override
    public List<SessionEventRecord> events(UUID sessionId, List<String> kinds) {
        StringBuilder sql = new StringBuilder("SELECT event_seq, offset_us, kind, detail_json FROM session_events"
                + " WHERE session_id = ?");
        List<Object> params = new ArrayList<>();
        params.add(sessionId.toString());
        if (kinds != null && !kinds.isEmpty()) {
            sql.append(" AND kind IN (").append("?, ".repeat(kinds.size() - 1)).append("?)");
            params.addAll(kinds);
        }
        sql.append(" ORDER BY event_seq");
        return readers.read("reading the events of session " + sessionId, c -> {
            List<SessionEventRecord> out = new ArrayList<>();
            try (ResultSet rs = Sql.bind(c.prepare(sql.toString()), params.toArray()).executeQuery()) {
                while (rs.next()) {
                    out.add(new SessionEventRecord(sessionId, rs.getLong(1), rs.getLong(2), rs.getString(3),
                            rs.getString(4)));
                }
            }
            return out;
        });
    }

    @Override
    public Page<SearchHit> search(String query, SessionFilter filter, String cursor, int limit) {
        return search.search(query, filter, cursor, limit);
    }
}
