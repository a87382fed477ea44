package org.ttyaudit.server.api;

import java.time.temporal.ChronoUnit;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.ttyaudit.server.auth.AccessPolicy.Action;
import org.ttyaudit.server.ledger.TreeHeadPublisher;
import org.ttyaudit.server.store.SessionEventRecord;
import org.ttyaudit.server.store.SessionRecord;
import org.ttyaudit.server.store.Store;
import org.ttyaudit.server.verify.SessionIntegrity;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the web UI's session details page shows beside the player: the processes the session ran and the files it
 * touched ({@code /activity}) and whether its record is intact and in the signed ledger ({@code /integrity}). Both are
 * reads of the session's content: the same access rule as the session itself, and audited ({@code session.view}
 * with {@code part}).
 */
final class SessionDetailRoutes implements Routes {
    /** The session kind of the SSH gateway's recordings. */
    private static final String GATEWAY = "gateway";
    /** A file event's fields as ingest keeps them ({@code ChunkIndexer}) and as the activity lists them. */
    private static final List<String> FILE_FIELDS = List.of("operation", "path", "target_path", "bytes", "sha256",
            "source");

    private final Store store;
    private final SessionAccess access;
    private final SessionIntegrity integrity;
    private final TreeHeadPublisher heads;
    private final SessionAttachments attachments;

    SessionDetailRoutes(Store store, SessionAccess access, SessionIntegrity integrity, TreeHeadPublisher heads) {
        this.store = store;
        this.access = access;
        this.attachments = new SessionAttachments(store.sessions());
        this.integrity = integrity;
        this.heads = heads;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/v1/sessions/{id}/activity", this::activity);
        routes.get("/api/v1/sessions/{id}/integrity", this::integrity);
        routes.get("/api/v1/sessions/{id}/attachments", this::attachments);
    }

    /**
     * The session's Linux audit log attachments ({@link SessionAttachments}) and their exec, file and sudo events
     * on the session's clock, in time order, each naming its attachment: what the page merges into the timeline.
     * An attachment is read only when the caller may see it too, and that read is audited as a view of it
     * ({@code session.view}, part {@code attached-events}, {@code via} the session).
     */
    private void attachments(Context ctx) throws IOException {
        SessionRecord s = access.view(ctx, Action.SESSION_VIEW, "session.view", Map.of("part", "attachments"));
        List<Object> listed = new ArrayList<>();
        List<Map<String, Object>> events = new ArrayList<>();
        for (SessionRecord a : attachments.of(s)) {
            if (!access.viewAlso(ctx, Action.SESSION_VIEW, a, "session.view",
                    Map.of("part", "attached-events", "via", s.id().toString()))) {
                continue;
            }
            listed.add(attachment(a));
            if (a.isPruned()) {
                continue;
            }
            // both clocks are normally the session's start; an attachment that starts elsewhere is shifted onto it
            long shift = ChronoUnit.MICROS.between(s.header().startedAt(), a.header().startedAt());
            for (SessionEventRecord e : store.sessions().events(a.id(), List.of("exec", "file", "marker"))) {
                Map<String, Object> m = Views.event(e);
                long offset = e.offsetMicros() + shift;
                m.put("offset_us", offset);
                m.put("at", Views.time(s.header().startedAt().plus(offset, ChronoUnit.MICROS)));
                m.put("attachment_id", a.id().toString());
                events.add(m);
            }
        }
        events.sort(java.util.Comparator.comparingLong(m -> (Long) m.get("offset_us")));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("session_id", s.id().toString());
        m.put("attachments", listed);
        m.put("events", events);
        Json.write(ctx, 200, m);
    }

    /** An attachment as the session page links to it: its id and where its events came from. */
    private static Map<String, Object> attachment(SessionRecord a) {
        Map<String, String> tags = a.header().tags();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id().toString());
        m.put("format", tags.get(SessionAttachments.FORMAT_TAG));
        m.put("audit_session", tags.get("audit_session"));
        m.put("audit_through", tags.get("audit_through"));
        m.put("import_source", tags.get("import_source"));
        m.put("imported_at", tags.get("imported_at"));
        m.put("imported_by", tags.get("imported_by"));
        m.put("events", a.eventCount());
        m.put("pruned", a.isPruned());
        return m;
    }

    /**
     * The exec events (kept by ingest as session event rows) as processes, the file events as files, and for a
     * session the SSH gateway relayed, the target it reached. The recorder records no file access and has no
     * target: both are then null ("not recorded"), never an empty list that would claim nothing was touched. A
     * gateway session records the files its SFTP and SCP transfers touch, so its list is there even when empty.
     */
    private void activity(Context ctx) throws IOException {
        SessionRecord s = access.view(ctx, Action.SESSION_VIEW, "session.view", Map.of("part", "activity"));
        List<Object> processes = new ArrayList<>();
        List<Object> files = new ArrayList<>();
        for (SessionEventRecord e : store.sessions().events(s.id(), List.of("exec", "file"))) {
            JsonNode d = Json.MAPPER.readTree(e.detailJson());
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("seq", e.eventSeq());
            p.put("at", Views.time(s.header().startedAt().plus(e.offsetMicros(), ChronoUnit.MICROS)));
            p.put("offset_us", e.offsetMicros());
            if (e.kind().equals("file")) {
                for (String field : FILE_FIELDS) {
                    p.put(field, d.path(field));
                }
                files.add(p);
                continue;
            }
            p.put("pid", d.path("pid").asLong());
            p.put("ppid", d.path("ppid").asLong());
            p.put("argv", d.path("argv"));
            p.put("cwd", d.path("cwd").isNull() ? null : d.path("cwd").asText(null));
            processes.add(p);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("session_id", s.id().toString());
        m.put("processes", processes);
        m.put("files", files.isEmpty() && !GATEWAY.equals(s.header().kind()) ? null : files);
        m.put("target", target(s));
        Json.write(ctx, 200, m);
    }

    /** Where a gateway session went: the target host, the account there, its address; null for other kinds. */
    private static Map<String, Object> target(SessionRecord s) {
        if (!GATEWAY.equals(s.header().kind())) {
            return null;
        }
        Map<String, String> tags = s.header().tags();
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("host", s.header().host());
        t.put("user", tags.get("target_user"));
        t.put("address", tags.get("target_address"));
        t.put("gateway", tags.get("gateway"));
        t.put("channel", tags.get("channel"));
        return t;
    }

    private void integrity(Context ctx) {
        SessionRecord s = access.view(ctx, Action.SESSION_VIEW, "session.view", Map.of("part", "integrity"));
        SessionIntegrity.Report r = integrity.check(s, heads.signNow(), heads.signer().publicKey());
        Map<String, Object> chain = new LinkedHashMap<>();
        chain.put("ok", r.chainOk());
        chain.put("chunks", r.chunks());
        Map<String, Object> ledger = new LinkedHashMap<>();
        ledger.put("ok", r.ledger().ok());
        ledger.put("tree_size", r.ledger().treeSize());
        ledger.put("signed_at", Views.time(r.ledger().signedAt()));
        ledger.put("leaves_checked", r.ledger().leavesChecked());
        ledger.put("leaves_pending", r.ledger().leavesPending());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("session_id", s.id().toString());
        m.put("chain", chain);
        m.put("complete", r.complete());
        m.put("ledger", ledger);
        m.put("problems", r.problems());
        m.put("problem_count", r.problemCount());
        Json.write(ctx, 200, m);
    }
}
