package org.ttyaudit.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.ttyaudit.server.auth.AccessPolicy.Action;
import org.ttyaudit.server.auth.Principal;
import org.ttyaudit.server.retention.LegalHolds;
import org.ttyaudit.server.retention.LegalHolds.HoldException;
import org.ttyaudit.server.retention.Pruner;
import org.ttyaudit.server.retention.RetentionSettings;
import org.ttyaudit.server.store.LegalHold;
import org.ttyaudit.server.store.RetentionQueries;
import org.ttyaudit.server.store.StorageRow;
import org.ttyaudit.server.store.Store;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Retention (docs/RETENTION.md): legal holds ({@code /api/v1/holds}: list for admins and auditors, place and
 * release for admins, each an audit event written by {@link LegalHolds}) and storage statistics
 * ({@code /api/v1/storage/stats}: bytes stored and raw per user, host or day, with the retention job's status).
 */
final class RetentionRoutes implements Routes {
    private final Store store;
    private final LegalHolds holds;
    private final RetentionSettings settings;
    private final Pruner pruner;

    RetentionRoutes(Store store, LegalHolds holds, RetentionSettings settings, Pruner pruner) {
        this.store = store;
        this.holds = holds;
        this.settings = settings;
        this.pruner = pruner;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/v1/holds", this::list);
        routes.post("/api/v1/holds", this::place);
        routes.delete("/api/v1/holds/{id}", this::release);
        routes.get("/api/v1/storage/stats", this::stats);
    }

    private void list(Context ctx) {
        Caller.require(ctx, Action.LEGAL_HOLD_VIEW, null);
        boolean all = Boolean.TRUE.equals(Params.bool(ctx, "all"));
        Json.write(ctx, 200, holds.list(all).stream().map(RetentionRoutes::view).toList());
    }

    private void place(Context ctx) {
        Principal p = Caller.require(ctx, Action.LEGAL_HOLD_MANAGE, null);
        JsonNode body = Json.body(ctx);
        LegalHold.Scope scope;
        try {
            scope = LegalHold.Scope.parse(Json.text(body, "scope"));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("scope: " + e.getMessage());
        }
        try {
            Json.write(ctx, 201, view(holds.place(p, scope, Json.text(body, "value"), Json.text(body, "reason"))));
        } catch (HoldException e) {
            throw refusal(e);
        }
    }

    private void release(Context ctx) {
        Principal p = Caller.require(ctx, Action.LEGAL_HOLD_MANAGE, null);
        UUID id;
        try {
            id = UUID.fromString(ctx.pathParam("id"));
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("no legal hold " + ctx.pathParam("id"));
        }
        try {
            Json.write(ctx, 200, view(holds.release(p, id)));
        } catch (HoldException e) {
            throw refusal(e);
        }
    }

    private void stats(Context ctx) {
        Caller.require(ctx, Action.STORAGE_VIEW, null);
        String by = Params.text(ctx, "by");
        RetentionQueries.Grouping grouping;
        try {
            grouping = RetentionQueries.Grouping.valueOf((by == null ? "user" : by).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("by: expected user, host or day, not '" + by + "'");
        }
        int limit = Params.limit(ctx);
        RetentionQueries q = store.retention();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("by", grouping.name().toLowerCase(Locale.ROOT));
        m.put("totals", row(q.storageTotals(), false));
        m.put("rows", q.storage(grouping, limit).stream().map(r -> row(r, true)).toList());
        StorageRow pruned = q.prunedTotals();
        Map<String, Object> retention = new LinkedHashMap<>();
        retention.put("pruned_sessions", pruned.sessions());
        retention.put("pruned_bytes", pruned.storedBytes());
        retention.put("active_holds", holds.list(false).size());
        retention.put("enabled", settings.prunes());
        retention.put("minimum_keep_days", settings.minimumKeepDays());
        retention.put("prune_every_seconds", settings.pruneEvery().toSeconds());
        retention.put("last_run_completed", pruner.lastRunCompleted() == null ? null
                : Views.time(pruner.lastRunCompleted()));
        m.put("retention", retention);
        Json.write(ctx, 200, m);
    }

    private static Map<String, Object> row(StorageRow r, boolean withKey) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (withKey) {
            m.put("key", r.key());
        }
        m.put("sessions", r.sessions());
        m.put("chunks", r.chunks());
        m.put("stored_bytes", r.storedBytes());
        m.put("raw_bytes", r.rawBytes());
        m.put("raw_unknown_stored_bytes", r.storedBytes() - r.rawKnownStoredBytes());
        m.put("compression_ratio", Math.round(r.compressionRatio() * 1000) / 1000.0);
        return m;
    }

    static Map<String, Object> view(LegalHold h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", h.id().toString());
        m.put("scope", h.scope().wireName());
        m.put("value", h.value());
        m.put("reason", h.reason());
        m.put("created_by", h.createdBy());
        m.put("created_at", Views.time(h.createdAt()));
        m.put("active", h.active());
        m.put("released_by", h.releasedBy());
        m.put("released_at", h.releasedAt() == null ? null : Views.time(h.releasedAt()));
        return m;
    }

    private static ApiException refusal(HoldException e) {
        return switch (e.kind()) {
            case INVALID -> ApiException.badRequest(e.getMessage());
            case NOT_FOUND -> ApiException.notFound(e.getMessage());
            case CONFLICT -> new ApiException(409, e.getMessage());
        };
    }
}
