package org.ttyaudit.server.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.ttyaudit.server.auth.AccessPolicy.Action;
import org.ttyaudit.server.forwarding.ForwarderStatus;
import org.ttyaudit.server.forwarding.Forwarding;
import org.ttyaudit.server.store.RejectedDocument;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The forwarders' state: where each sends, how far it is through the feed, its lag, its last error and the last
 * documents its receiver refused for good.
 */
final class ForwarderRoutes implements Routes {
    /** Rejected documents listed per forwarder (the store keeps them all, with the documents). */
    private static final int RECENT_REJECTIONS = 10;
    private final Forwarding forwarding;

    ForwarderRoutes(Forwarding forwarding) {
        this.forwarding = forwarding;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/v1/forwarders", this::list);
    }

    private void list(Context ctx) {
        Caller.require(ctx, Action.FORWARDERS_VIEW, null);
        List<Object> list = new ArrayList<>();
        for (ForwarderStatus s : forwarding.statuses()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("type", s.type());
            m.put("address", s.address());
            m.put("next_leaf", s.nextLeaf());
            m.put("head_size", s.headSize());
            m.put("pending", s.pending());
            m.put("lag_seconds", s.lagSeconds());
            m.put("forwarded", s.forwarded());
            m.put("rejected", s.rejected());
            m.put("failures", s.failures());
            m.put("last_error", s.lastError());
            m.put("next_attempt_at", s.nextAttemptAt() == null ? null : s.nextAttemptAt().toString());
            List<Object> refused = new ArrayList<>();
            for (RejectedDocument r : forwarding.rejected(s.name(), RECENT_REJECTIONS)) {
                refused.add(Map.of("event_id", r.eventId(), "reason", r.reason()));
            }
            m.put("recent_rejections", refused);
            list.add(m);
        }
        Json.write(ctx, 200, Map.of("forwarders", list));
    }
}
