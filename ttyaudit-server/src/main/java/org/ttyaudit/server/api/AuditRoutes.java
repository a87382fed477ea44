package org.ttyaudit.server.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.ttyaudit.server.auth.AccessPolicy.Action;
import org.ttyaudit.server.store.AuditRecord;
import org.ttyaudit.server.store.Page;
import org.ttyaudit.server.store.Store;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The audit log: who logged in, viewed, exported, searched or changed what. */
final class AuditRoutes implements Routes {
    private final Store store;

    AuditRoutes(Store store) {
        this.store = store;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/v1/audit", this::list);
    }

    private void list(Context ctx) throws IOException {
        Caller.require(ctx, Action.AUDIT_LOG_VIEW, null);
        String session = Params.text(ctx, "session");
        UUID sessionId;
        try {
            sessionId = session == null ? null : UUID.fromString(session);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("session: not a session id: " + session);
        }
        Page<AuditRecord> page;
        try {
            page = store.audit().list(Params.text(ctx, "actor"), Params.text(ctx, "action"), sessionId,
                    Params.instant(ctx, "since"), Params.instant(ctx, "until"), Params.text(ctx, "cursor"),
                    Params.limit(ctx));
        } catch (org.ttyaudit.server.store.StoreException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        List<Object> items = new ArrayList<>();
        for (AuditRecord a : page.items()) {
            items.add(Views.audit(a));
        }
        Json.write(ctx, 200, Views.page(items, page.nextCursor()));
    }
}
