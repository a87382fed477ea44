package org.ttyaudit.server.api;

import org.ttyaudit.core.format.Sha256;
import org.ttyaudit.core.model.SessionHeader;
import org.ttyaudit.server.ingest.CommitPoint;
import org.ttyaudit.server.ingest.RecorderContact;
import org.ttyaudit.server.store.AlertRecord;
import org.ttyaudit.server.store.AuditRecord;
import org.ttyaudit.server.store.CommandRecord;
import org.ttyaudit.server.store.ListedAlert;
import org.ttyaudit.server.store.SearchHit;
import org.ttyaudit.server.store.SessionEventRecord;
import org.ttyaudit.server.store.SessionRecord;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON shapes of the API (snake_case fields, ISO-8601 UTC times, hex hashes), in one place so that
 * docs/openapi.yaml and the code describe the same thing. Stateless.
 */
final class Views {
    private Views() {
    }

    /** When and by which policy retention pruned the session's content, and its tombstone's ledger leaf. */
    private static Map<String, Object> pruned(SessionRecord s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", time(s.pruned().prunedAt()));
        m.put("policy", s.pruned().policy());
        m.put("tombstone_leaf", s.pruned().ledgerIndex());
        m.put("bytes_freed", s.pruned().freedBytes());
        return m;
    }

    static Map<String, Object> commitPoint(CommitPoint p) {
        return commitPoint(p, java.util.OptionalInt.empty());
    }

    /** @param flushWithinMillis the chunk latency asked of the recorder while the session is watched */
    static Map<String, Object> commitPoint(CommitPoint p, java.util.OptionalInt flushWithinMillis) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("session_id", p.sessionId().toString());
        m.put("committed_seq", p.committedSeq());
        m.put("last_hash", Sha256.hex(p.lastHash()));
        m.put("ended", p.ended());
        m.put("terminate", p.terminate());
        m.put("terminate_reason", p.terminateReason());
        m.put("flush_within_ms", flushWithinMillis.isPresent() ? flushWithinMillis.getAsInt() : null);
        return m;
    }

    /**
     * A session with its state and duration: {@code duration_ms} is until its end, or until now while it is live,
     * or until the last chunk received when it is incomplete. {@code uploadedBy}: the enrolled name of the host
     * credential that sent it ({@link HostNames}), which {@code host}, what its recorder reported, may differ from.
     */
    static Map<String, Object> session(SessionRecord s, RecorderContact contact, String uploadedBy) {
        SessionHeader h = s.header();
        RecorderContact.State state = contact.state(s);
        Instant until = switch (state) {
            case ENDED -> s.end().end().endedAt();
            case LIVE -> contact.now();
            case INCOMPLETE -> s.lastActivity();
        };
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id().toString());
        m.put("kind", h.kind());
        m.put("user", h.user());
        m.put("uid", h.uid());
        m.put("host", h.host());
        m.put("uploaded_by", uploadedBy);
        m.put("tty", h.tty());
        m.put("client_address", h.clientAddress());
        m.put("term", h.term());
        m.put("cols", h.cols());
        m.put("rows", h.rows());
        m.put("command", h.command());
        m.put("capture", h.capture());
        m.put("recorder_version", h.recorderVersion());
        m.put("tags", h.tags());
        m.put("started_at", time(h.startedAt()));
        m.put("ended_at", s.end() == null ? null : time(s.end().end().endedAt()));
        m.put("exit_status", s.end() == null ? null : s.end().end().exitStatus());
        m.put("end_reason", s.end() == null ? null : s.end().end().reason());
        m.put("duration_ms", until == null ? null : Math.max(0, java.time.Duration.between(h.startedAt(), until)
                .toMillis()));
        m.put("state", state.wireName());
        m.put("last_activity", time(s.lastActivity()));
        m.put("pruned", s.pruned() == null ? null : pruned(s));
        m.put("chunks", s.committedSeq() + 1);
        m.put("events", s.eventCount());
        m.put("commands", s.commandCount());
        m.put("alerts", s.alertCount());
        m.put("header_hash", Sha256.hex(s.headerHash()));
        m.put("last_hash", Sha256.hex(s.lastHash()));
        m.put("end_hash", s.end() == null ? null : Sha256.hex(s.end().endHash()));
        m.put("terminate_reason", s.terminateReason());
        return m;
    }

    static Map<String, Object> alert(AlertRecord a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id().toString());
        m.put("session_id", a.sessionId().toString());
        m.put("at", time(a.at()));
        m.put("offset_us", a.offsetMicros());
        m.put("command_id", a.commandId());
        m.put("rule", a.rule());
        m.put("severity", a.severity());
        m.put("description", a.description());
        m.put("trigger", a.trigger());
        m.put("matched", a.matched());
        m.put("actions", a.actions());
        m.put("ledger_index", a.ledgerIndex());
        return m;
    }

    /** An alert of the alert list: with its session's user and host. */
    static Map<String, Object> alert(ListedAlert a) {
        Map<String, Object> m = alert(a.alert());
        m.put("user", a.user());
        m.put("host", a.host());
        return m;
    }

    static Map<String, Object> command(CommandRecord c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command_id", c.commandId());
        m.put("command", c.commandLine());
        m.put("cwd", c.cwd());
        m.put("exit_code", c.exitCode());
        m.put("started_at", time(c.startedAt()));
        m.put("ended_at", time(c.endedAt()));
        m.put("start_offset_us", c.startOffsetMicros());
        m.put("end_offset_us", c.endOffsetMicros());
        m.put("source", c.source());
        return m;
    }

    static Map<String, Object> event(SessionEventRecord e) throws java.io.IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", e.eventSeq());
        m.put("offset_us", e.offsetMicros());
        m.put("kind", e.kind());
        m.put("detail", Json.MAPPER.readTree(e.detailJson()));
        return m;
    }

    static Map<String, Object> hit(SearchHit h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("session_id", h.sessionId().toString());
        m.put("kind", h.kind());
        m.put("at", time(h.at()));
        m.put("offset_us", h.offsetMicros());
        m.put("snippet", h.snippet());
        m.put("user", h.user());
        m.put("host", h.host());
        return m;
    }

    static Map<String, Object> audit(AuditRecord a) throws java.io.IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id().toString());
        m.put("at", time(a.at()));
        m.put("actor", a.actor());
        m.put("action", a.action());
        m.put("session_id", a.sessionId() == null ? null : a.sessionId().toString());
        m.put("detail", Json.MAPPER.readTree(a.detailJson()));
        m.put("ledger_index", a.ledgerIndex());
        return m;
    }

    static Map<String, Object> page(java.util.List<?> items, String nextCursor) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("items", items);
        m.put("next_cursor", nextCursor);
        return m;
    }

    static String time(Instant t) {
        return t == null ? null : t.toString();
    }
}
