package org.ttyaudit.server.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.ttyaudit.core.model.SessionEnd;
import org.ttyaudit.core.model.SessionHeader;
import org.ttyaudit.core.model.SessionId;
import org.ttyaudit.server.store.ChunkRecord;
import org.ttyaudit.server.store.CommandRecord;
import org.ttyaudit.server.store.PruneInfo;
import org.ttyaudit.server.store.SessionEndInfo;
import org.ttyaudit.server.store.SessionRecord;
import org.ttyaudit.server.store.StoreException;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Rows of the session tables as records: the column lists to select and the mapping back. The header is rebuilt
 * from its columns (command and tags as JSON), not parsed from the stored header bytes, so a header from a
 * newer recorder that this code cannot parse still lists.
 */
final class SessionRows {
    static final String SESSION_COLUMNS = "id, kind, user_name, uid, host, tty, client_address, term, term_cols,"
            + " term_rows, started_at, command_json, capture, recorder_version, tags_json, header_bytes,"
            + " header_hash, host_id, ledger_index, received_at, committed_seq, last_hash, event_count,"
            + " command_count, last_activity, ended_at, exit_status, end_signal, end_reason, end_chunk_count,"
            + " end_event_count, end_final_hash, end_hash, end_record_bytes, end_ledger_index, terminate_reason,"
            + " alert_count, pruned_at, prune_policy, prune_ledger_index, stored_bytes";

    static final String CHUNK_COLUMNS = "session_id, seq, first_event_seq, event_count, first_offset_us,"
            + " last_offset_us, prev_hash, hash, blob_key, stored_bytes, ledger_index, raw_bytes";

    static final String COMMAND_COLUMNS = "session_id, command_id, command_line, cwd, source, started_at,"
            + " start_offset_us, ended_at, end_offset_us, exit_code";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, String>> TAGS = new TypeReference<>() {
    };

    private SessionRows() {
    }

    static SessionRecord session(ResultSet rs) throws SQLException {
        UUID id = UUID.fromString(rs.getString("id"));
        SessionHeader header = new SessionHeader(new SessionId(id), rs.getString("kind"), rs.getString("user_name"),
                rs.getLong("uid"), rs.getString("host"), rs.getString("tty"), rs.getString("client_address"),
                rs.getString("term"), rs.getInt("term_cols"), rs.getInt("term_rows"),
                EpochNanos.toInstant(rs.getLong("started_at")), fromJson(rs.getString("command_json"), STRINGS),
                rs.getString("capture"), rs.getString("recorder_version"),
                fromJson(rs.getString("tags_json"), TAGS));
        SessionEndInfo end = null;
        Long endLedgerIndex = Sql.longOrNull(rs, "end_ledger_index");
        if (endLedgerIndex != null) {
            SessionEnd sessionEnd = new SessionEnd(EpochNanos.toInstant(rs.getLong("ended_at")),
                    rs.getInt("exit_status"), Sql.intOrNull(rs, "end_signal"), rs.getString("end_reason"));
            end = new SessionEndInfo(id, sessionEnd, rs.getLong("end_chunk_count"), rs.getLong("end_event_count"),
                    rs.getBytes("end_final_hash"), rs.getBytes("end_hash"), rs.getBytes("end_record_bytes"),
                    endLedgerIndex);
        }
        return new SessionRecord(header, rs.getBytes("header_bytes"), rs.getBytes("header_hash"),
                rs.getString("host_id"), rs.getLong("ledger_index"), EpochNanos.toInstant(rs.getLong("received_at")),
                rs.getLong("committed_seq"), rs.getBytes("last_hash"), rs.getLong("event_count"),
                rs.getLong("command_count"), EpochNanos.toInstant(rs.getLong("last_activity")), end,
                rs.getString("terminate_reason"), rs.getLong("alert_count"), pruned(rs));
    }

    /** The session's prune record, or null when its content was not pruned. */
    private static PruneInfo pruned(ResultSet rs) throws SQLException {
        Long prunedAt = Sql.longOrNull(rs, "pruned_at");
        return prunedAt == null ? null : new PruneInfo(EpochNanos.toInstant(prunedAt), rs.getString("prune_policy"),
                rs.getLong("prune_ledger_index"), rs.getLong("stored_bytes"));
    }

    static ChunkRecord chunk(ResultSet rs) throws SQLException {
        Integer rawBytes = Sql.intOrNull(rs, "raw_bytes");
        return new ChunkRecord(UUID.fromString(rs.getString("session_id")), rs.getLong("seq"),
                rs.getLong("first_event_seq"), rs.getInt("event_count"), rs.getLong("first_offset_us"),
                rs.getLong("last_offset_us"), rs.getBytes("prev_hash"), rs.getBytes("hash"), rs.getString("blob_key"),
                rs.getInt("stored_bytes"), rs.getLong("ledger_index"), rawBytes == null ? -1 : rawBytes);
    }

    static CommandRecord command(ResultSet rs) throws SQLException {
        return new CommandRecord(UUID.fromString(rs.getString("session_id")), rs.getLong("command_id"),
                rs.getString("command_line"), rs.getString("cwd"), rs.getString("source"),
                EpochNanos.toInstant(rs.getLong("started_at")), rs.getLong("start_offset_us"),
                EpochNanos.toInstantOrNull(Sql.longOrNull(rs, "ended_at")), Sql.longOrNull(rs, "end_offset_us"),
                Sql.intOrNull(rs, "exit_code"));
    }

    /** A JSON array of strings, as {@link #toJson} writes a list. */
    static List<String> strings(String json) {
        return fromJson(json, STRINGS);
    }

    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot encode " + value + " as JSON: " + e.getOriginalMessage());
        }
    }

    private static <T> T fromJson(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new StoreException("a stored session has a broken JSON column: " + e.getOriginalMessage());
        }
    }
}
