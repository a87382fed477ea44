package org.ttyaudit.server.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.ttyaudit.core.config.ConfigException;
import org.ttyaudit.core.rules.Rule;
import org.ttyaudit.server.alert.AlertWriter;
import org.ttyaudit.server.alert.RuleBook;
import org.ttyaudit.server.audit.AuditLog;
import org.ttyaudit.server.auth.AccessPolicy;
import org.ttyaudit.server.auth.AccessPolicy.Action;
import org.ttyaudit.server.auth.Principal;
import org.ttyaudit.server.store.AlertFilter;
import org.ttyaudit.server.store.ListedAlert;
import org.ttyaudit.server.store.Page;
import org.ttyaudit.server.store.Store;
import org.ttyaudit.server.store.StoreException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Alerts and rules: the alert list (filtered, paged; the {@code user} role sees its own sessions' alerts), a
 * session's alerts, the rules in force, and reloading the rule file. Reading alerts shows what people typed, so
 * it is audited like any other view of session content; reloading is audited with the file's hash.
 */
final class AlertRoutes implements Routes {
    private static final int SESSION_ALERTS = 1000;
    private static final Set<String> SEVERITIES = Set.of("info", "low", "medium", "high", "critical");

    private final Store store;
    private final SessionAccess access;
    private final AuditLog audit;
    private final RuleBook rules;

    AlertRoutes(Store store, SessionAccess access, AuditLog audit, RuleBook rules) {
        this.store = store;
        this.access = access;
        this.audit = audit;
        this.rules = rules;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/v1/alerts", this::list);
        routes.get("/api/v1/sessions/{id}/alerts", this::ofSession);
        routes.get("/api/v1/rules", this::rules);
        routes.post("/api/v1/rules/reload", this::reload);
    }

    private void list(Context ctx) {
        AccessPolicy.Grant grant = Caller.grant(ctx, Action.ALERT_LIST);
        Principal p = Caller.of(ctx);
        AlertFilter filter = new AlertFilter(sessionParam(ctx), Params.text(ctx, "rule"), severities(ctx),
                Params.text(ctx, "user"), Params.text(ctx, "host"), Params.instant(ctx, "since"),
                Params.instant(ctx, "until"), grant == AccessPolicy.Grant.OWN ? p.name() : null);
        Page<ListedAlert> page;
        try {
            page = store.alerts().list(filter, Params.text(ctx, "cursor"), Params.limit(ctx));
        } catch (StoreException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        audit.record(p, "alert.list", filter.sessionId(), listDetail(filter));
        Json.write(ctx, 200, Views.page(page.items().stream().map(Views::alert).toList(), page.nextCursor()));
    }

    private void ofSession(Context ctx) {
        var session = access.view(ctx, Action.SESSION_VIEW, "session.view", Map.of("part", "alerts"));
        Json.write(ctx, 200, store.alerts().forSession(session.id(), SESSION_ALERTS).stream().map(Views::alert)
                .toList());
    }

    private void rules(Context ctx) {
        Caller.require(ctx, Action.RULES_VIEW, null);
        RuleBook.Loaded loaded = rules.current();
        List<Object> list = new ArrayList<>();
        for (Rule r : loaded.rules().rules()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            m.put("description", r.description());
            m.put("severity", r.severity().jsonName());
            m.put("actions", AlertWriter.actionNames(r.actions()));
            list.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("file", loaded.file() == null ? null : loaded.file().toString());
        out.put("file_sha256", loaded.fileSha256());
        out.put("rules", list);
        Json.write(ctx, 200, out);
    }

    private void reload(Context ctx) {
        Principal p = Caller.require(ctx, Action.RULES_MANAGE, null);
        RuleBook.Loaded loaded;
        try {
            loaded = rules.reload();
        } catch (ConfigException e) {
            audit.record(p, "rules.reload_failed", null, Map.of("error", e.getMessage()));
            throw ApiException.badRequest("the rules were not reloaded, the previous rules stay in force: "
                    + e.getMessage());
        }
        Map<String, String> detail = new TreeMap<>();
        detail.put("rules", Integer.toString(loaded.rules().rules().size()));
        if (loaded.file() != null) {
            detail.put("file", loaded.file().toString());
            detail.put("sha256", loaded.fileSha256());
        }
        audit.record(p, "rules.reload", null, detail);
        Json.write(ctx, 200, Map.of("rules", loaded.rules().rules().size(), "file_sha256",
                loaded.fileSha256() == null ? "" : loaded.fileSha256()));
    }

    private static UUID sessionParam(Context ctx) {
        String text = Params.text(ctx, "session");
        return text == null ? null : Params.sessionIdOf(text);
    }

    private static Set<String> severities(Context ctx) {
        String text = Params.text(ctx, "severity");
        if (text == null) {
            return Set.of();
        }
        Set<String> out = Set.copyOf(Arrays.asList(text.toLowerCase(Locale.ROOT).split(",")));
        for (String s : out) {
            if (!SEVERITIES.contains(s)) {
                throw ApiException.badRequest("severity: unknown value " + s + " (expected any of info, low,"
                        + " medium, high, critical, comma-separated)");
            }
        }
        return out;
    }

    private static Map<String, String> listDetail(AlertFilter f) {
        Map<String, String> d = new TreeMap<>();
        if (f.rule() != null) {
            d.put("rule", f.rule());
        }
        if (f.user() != null) {
            d.put("user", f.user());
        }
        if (f.host() != null) {
            d.put("host", f.host());
        }
        if (!f.severities().isEmpty()) {
            d.put("severity", String.join(",", new TreeSet<>(f.severities())));
        }
        return d;
    }
}
