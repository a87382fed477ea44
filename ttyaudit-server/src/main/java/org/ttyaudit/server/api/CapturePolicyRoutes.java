package org.ttyaudit.server.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.ttyaudit.core.policy.CapturePolicies;
import org.ttyaudit.server.auth.AccessPolicy;
import org.ttyaudit.server.auth.Principal;

import java.util.Arrays;
import java.util.List;

/**
 * {@code GET /api/v1/ingest/capture-policy}: the capture policy (docs/CAPTURE.md) of a session about to start on
 * the calling host, for enrolled hosts only. The host is the one the credential was enrolled as, never a name the
 * recorder sends; user and groups come from the recorder, which resolves them on the host.
 */
final class CapturePolicyRoutes implements Routes {
    private static final int MAX_GROUPS = 1000;

    private final CapturePolicies policies;

    CapturePolicyRoutes(CapturePolicies policies) {
        this.policies = policies;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/v1/ingest/capture-policy", this::policy);
    }

    private void policy(Context ctx) {
        Principal host = Caller.require(ctx, AccessPolicy.Action.INGEST, null);
        String user = Params.text(ctx, "user");
        if (user == null) {
            throw ApiException.badRequest("user is missing: the login name of the session's user");
        }
        String groupText = Params.text(ctx, "groups");
        List<String> groups = groupText == null ? List.of()
                : Arrays.stream(groupText.split(",")).map(String::trim).filter(g -> !g.isEmpty()).toList();
        if (groups.size() > MAX_GROUPS) {
            throw ApiException.badRequest("groups: at most " + MAX_GROUPS + " groups");
        }
        Json.write(ctx, 200, policies.resolve(user, groups, host.name()).toJson());
    }
}
