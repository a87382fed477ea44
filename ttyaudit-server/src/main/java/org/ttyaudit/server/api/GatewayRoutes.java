package org.ttyaudit.server.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.ttyaudit.core.gateway.GatewayPolicy;
import org.ttyaudit.core.gateway.SshPublicKey;
import org.ttyaudit.core.policy.CapturePolicies;
import org.ttyaudit.server.auth.AccessPolicy.Action;
import org.ttyaudit.server.auth.SshKeyService;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What enrolled gateways ask (with their host credential): {@code GET /api/v1/ingest/gateway/policy}, the
 * {@code gateway:} section of the server's settings as JSON ({@link GatewayPolicy#toJson()}, groups included),
 * and {@code GET /api/v1/ingest/gateway/keys?user=NAME}, the SSH keys registered for that user (none for an
 * unknown or disabled user, so a gateway cannot tell the two apart and nobody logs in with either).
 */
final class GatewayRoutes implements Routes {
    private final GatewayPolicy policy;
    private final CapturePolicies capture;
    private final SshKeyService keys;

    GatewayRoutes(GatewayPolicy policy, CapturePolicies capture, SshKeyService keys) {
        this.policy = policy;
        this.capture = capture;
        this.keys = keys;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/v1/ingest/gateway/policy", this::policy);
        routes.get("/api/v1/ingest/gateway/keys", this::keys);
        routes.get("/api/v1/ingest/gateway/capture-policies", this::capturePolicies);
    }

    private void capturePolicies(Context ctx) {
        Caller.require(ctx, Action.GATEWAY_ACCESS_READ, null);
        Json.write(ctx, 200, capture.toJson());
    }

    private void policy(Context ctx) {
        Caller.require(ctx, Action.GATEWAY_ACCESS_READ, null);
        Json.write(ctx, 200, policy.toJson());
    }

    private void keys(Context ctx) {
        Caller.require(ctx, Action.GATEWAY_ACCESS_READ, null);
        String user = Params.text(ctx, "user");
        if (user == null || user.isBlank()) {
            throw ApiException.badRequest("user is missing: the gateway user whose keys to list");
        }
        Json.write(ctx, 200, keys.keysForGateway(user).stream().map(GatewayRoutes::view).toList());
    }

    private static Map<String, Object> view(SshPublicKey k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fingerprint", k.fingerprint());
        m.put("type", k.type());
        m.put("comment", k.comment());
        m.put("public_key", k.line());
        return m;
    }
}
