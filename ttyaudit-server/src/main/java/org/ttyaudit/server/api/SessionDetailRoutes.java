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
 * What the web UI's session details page shows beside the player: the processes the session ran
 * ({@code /activity}) and whether its record is intact and in the signed ledger ({@code /integrity}). Both are
 * reads of the session's content: the same access rule as the session itself, and audited ({@code session.view}
 * with {@code part}).
 */
final class SessionDetailRoutes implements Routes {
    private final Store store;
    private final SessionAccess access;
    private final SessionIntegrity integrity;
    private final TreeHeadPublisher heads;

    SessionDetailRoutes(Store store, SessionAccess access, SessionIntegrity integrity, TreeHeadPublisher heads) {
        this.store = store;
        this.access = access;
        this.integrity = integrity;
        this.heads = heads;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/v1/sessions/{id}/activity", this::activity);
        routes.get("/api/v1/sessions/{id}/integrity", this::integrity);
    }

    /**
     * The exec events (kept by ingest as session event rows) as processes. The recorder records no file access
     * and sessions have no target host until the SSH gateway exists: both are null ("not recorded"), never an
     * empty list that would claim nothing was touched.
     */
    private void activity(Context ctx) throws IOException {
        SessionRecord s = access.view(ctx, Action.SESSION_VIEW, "session.view", Map.of("part", "activity"));
        List<Object> processes = new ArrayList<>();
        for (SessionEventRecord e : store.sessions().events(s.id(), List.of("exec"))) {
            JsonNode d = Json.MAPPER.readTree(e.detailJson());
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("seq", e.eventSeq());
            p.put("at", Views.time(s.header().startedAt().plus(e.offsetMicros(), ChronoUnit.MICROS)));
            p.put("offset_us", e.offsetMicros());
            p.put("pid", d.path("pid").asLong());
            p.put("ppid", d.path("ppid").asLong());
            p.put("argv", d.path("argv"));
            p.put("cwd", d.path("cwd").isNull() ? null : d.path("cwd").asText(null));
            processes.add(p);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("session_id", s.id().toString());
        m.put("processes", processes);
        m.put("files", null);
        m.put("target", null);
        Json.write(ctx, 200, m);
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
