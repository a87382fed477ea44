package org.ttyaudit.server.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.ttyaudit.core.asciicast.AsciicastFormat;
import org.ttyaudit.core.asciicast.AsciicastOptions;
import org.ttyaudit.core.asciicast.AsciicastWriter;
import org.ttyaudit.server.audit.AuditLog;
import org.ttyaudit.server.auth.AccessPolicy;
import org.ttyaudit.server.auth.AccessPolicy.Action;
import org.ttyaudit.server.auth.Principal;
import org.ttyaudit.server.blob.BlobStore;
import org.ttyaudit.server.ingest.RecorderContact;
import org.ttyaudit.server.playback.RecordAssembler;
import org.ttyaudit.server.playback.StoredEvents;
import org.ttyaudit.server.store.Page;
import org.ttyaudit.server.store.SessionEventRecord;
import org.ttyaudit.server.store.SessionFilter;
import org.ttyaudit.server.store.SessionRecord;
import org.ttyaudit.server.store.Store;
import org.ttyaudit.server.store.StoreException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Sessions: list, details, commands, events, the record file, asciicast export, search, and termination. Every
 * read of a recording's content (details, commands, events, record, export) and every search is an audit
 * event. A session the caller may not see is answered like one that does not exist (404), so ids cannot be
 * probed.
 */
final class SessionRoutes implements Routes {

    private final Store store;
    private final BlobStore blobs;
    private final AuditLog audit;
    private final RecordAssembler records;
    private final SessionAccess access;

    private final RecorderContact contact;

    SessionRoutes(Store store, BlobStore blobs, AuditLog audit, RecorderContact contact) {
        this.contact = contact;
        this.store = store;
        this.blobs = blobs;
        this.audit = audit;
        this.access = new SessionAccess(store, audit);
        this.records = new RecordAssembler(store.sessions(), blobs);
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/v1/sessions", this::list);
        routes.get("/api/v1/sessions/{id}", this::details);
        routes.get("/api/v1/sessions/{id}/commands", this::commands);
        routes.get("/api/v1/sessions/{id}/events", this::events);
        routes.get("/api/v1/sessions/{id}/record", this::record);
        routes.get("/api/v1/sessions/{id}/export", this::export);
        routes.post("/api/v1/sessions/{id}/terminate", this::terminate);
        routes.get("/api/v1/search", this::search);
    }

    private void list(Context ctx) {
        AccessPolicy.Grant grant = Caller.grant(ctx, Action.SESSION_LIST);
        Page<SessionRecord> page;
        try {
            page = store.sessions().list(filter(ctx, grant), Params.text(ctx, "cursor"), Params.limit(ctx));
        } catch (StoreException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        HostNames hosts = new HostNames(store.accounts());
        Json.write(ctx, 200, Views.page(page.items().stream().map(s -> Views.session(s, contact,
                hosts.nameOf(s.hostId()))).toList(), page.nextCursor()));
    }

    private void details(Context ctx) {
        Viewed v = view(ctx, Action.SESSION_VIEW, "session.view", Map.of());
        Json.write(ctx, 200, Views.session(v.session, contact,
                new HostNames(store.accounts()).nameOf(v.session.hostId())));
    }

    private void commands(Context ctx) {
        Viewed v = view(ctx, Action.SESSION_VIEW, "session.view", Map.of("part", "commands"));
        Json.write(ctx, 200, store.sessions().commands(v.session.id()).stream().map(Views::command).toList());
    }

    private void events(Context ctx) throws IOException {
        Viewed v = view(ctx, Action.SESSION_VIEW, "session.view", Map.of("part", "events"));
        String kinds = Params.text(ctx, "kind");
        List<String> kindList = kinds == null ? List.of() : Arrays.asList(kinds.split(","));
        List<Object> out = new ArrayList<>();
        for (SessionEventRecord e : store.sessions().events(v.session.id(), kindList)) {
            out.add(Views.event(e));
        }
        Json.write(ctx, 200, out);
    }

    private void record(Context ctx) throws IOException {
        Viewed v = view(ctx, Action.SESSION_VIEW, "session.download", Map.of());
        SessionAccess.requireContent(v.session);
        // Streamed chunk by chunk: a session of gigabytes is never held in memory. A blob that goes missing
        // midway cuts the file, which the reader's verification reports as truncated.
        ctx.status(200).contentType("application/vnd.ttyaudit.record")
                .header("Content-Disposition", "attachment; filename=\"" + v.session.id() + ".tta\"");
        records.write(v.session.id(), ctx.outputStream());
    }

    private void export(Context ctx) throws IOException {
        String formatName = Params.text(ctx, "format");
        AsciicastFormat format;
        try {
            format = AsciicastFormat.fromCliName(formatName == null ? "asciicast-v2" : formatName);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("format: " + e.getMessage());
        }
        Viewed v = view(ctx, Action.SESSION_VIEW, "session.export", Map.of("format",
                formatName == null ? "asciicast-v2" : formatName));
        SessionRecord s = v.session;
        SessionAccess.requireContent(s);
        ctx.status(200).contentType("application/x-asciicast")
                .header("Content-Disposition", "attachment; filename=\"" + s.id() + ".cast\"");
        AsciicastWriter.export(s.header(), new StoredEvents(store.sessions().chunks(s.id()), blobs),
                s.end() == null ? null : s.end().end(), ctx.outputStream(), format, AsciicastOptions.defaults());
    }

    private void terminate(Context ctx) {
        UUID id = Params.sessionId(ctx);
        Principal p = Caller.require(ctx, Action.SESSION_TERMINATE, null);
        SessionRecord s = store.sessions().get(id).orElseThrow(() -> ApiException.notFound("no session " + id));
        if (s.ended()) {
            throw new ApiException(409, "session " + id + " has already ended");
        }
        String reason = ctx.body().isBlank() ? null : Json.optionalText(Json.body(ctx), "reason");
        String text = reason == null ? "ended by " + p.actor() : reason;
        store.write(tx -> {
            tx.requestTermination(id, text);
            return null;
        });
        audit.record(p, "session.terminate", id, Map.of("reason", text));
        Json.write(ctx, 202, Map.of("session_id", id.toString(), "terminate_reason", text));
    }

    private void search(Context ctx) {
        AccessPolicy.Grant grant = Caller.grant(ctx, Action.SEARCH);
        Principal p = Caller.of(ctx);
        String query = Params.text(ctx, "q");
        if (query == null) {
            throw ApiException.badRequest("q (the text to search for) is required");
        }
        SessionFilter filter = filter(ctx, grant);
        Page<org.ttyaudit.server.store.SearchHit> page;
        try {
            page = store.sessions().search(query, filter, Params.text(ctx, "cursor"), Params.limit(ctx));
        } catch (StoreException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        audit.record(p, "search", null, searchDetail(query, filter));
        Json.write(ctx, 200, Views.page(page.items().stream().map(Views::hit).toList(), page.nextCursor()));
    }

    private static Map<String, String> searchDetail(String query, SessionFilter f) {
        Map<String, String> d = new java.util.TreeMap<>();
        d.put("query", query);
        if (f.user() != null) {
            d.put("user", f.user());
        }
        if (f.host() != null) {
            d.put("host", f.host());
        }
        if (f.kind() != null) {
            d.put("kind", f.kind());
        }
        f.tags().forEach((name, value) -> d.put("tag." + name, value));
        return d;
    }

    private static SessionFilter filter(Context ctx, AccessPolicy.Grant grant) {
        String visibleTo = grant == AccessPolicy.Grant.OWN ? Caller.of(ctx).name() : null;
        try {
            return new SessionFilter(Params.text(ctx, "user"), Params.text(ctx, "host"),
                    Params.instant(ctx, "since"), Params.instant(ctx, "until"), visibleTo,
                    Params.bool(ctx, "has_alerts"), Params.text(ctx, "kind"), tags(ctx));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("tag: " + e.getMessage());
        }
    }

    /** The {@code tag=NAME:VALUE} parameters (repeatable, all must hold); the value may itself hold colons. */
    private static Map<String, String> tags(Context ctx) {
        Map<String, String> tags = new java.util.TreeMap<>();
        for (String t : ctx.queryParams("tag")) {
            int colon = t.indexOf(':');
            if (colon <= 0) {
                throw ApiException.badRequest("tag: expected NAME:VALUE (target_user:root), not '" + t + "'");
            }
            String name = t.substring(0, colon);
            if (tags.put(name, t.substring(colon + 1)) != null) {
                throw ApiException.badRequest("tag: " + name + " is given twice");
            }
        }
        return tags;
    }

    private Viewed view(Context ctx, Action action, String auditAction, Map<String, String> detail) {
        return new Viewed(access.view(ctx, action, auditAction, detail));
    }

    private record Viewed(SessionRecord session) {
    }
}
