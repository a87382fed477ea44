package org.ttyaudit.server.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.ttyaudit.server.audit.AuditLog;
import org.ttyaudit.server.auth.AccessPolicy.Action;
import org.ttyaudit.server.auth.Account;
import org.ttyaudit.server.auth.AccountService;
import org.ttyaudit.server.auth.Principal;
import org.ttyaudit.server.auth.SshKeyService;
import org.ttyaudit.server.store.AccountStore.SshKey;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Users' SSH public keys for the gateway: one's own under {@code /api/v1/account/ssh-keys}, anyone's for admins
 * under {@code /api/v1/users/{name}/ssh-keys}. Adding and removing a key are audit events ({@code ssh_key.add},
 * {@code ssh_key.remove}, naming the user and the fingerprint).
 */
final class SshKeyRoutes implements Routes {
    private final SshKeyService keys;
    private final AccountService accounts;
    private final AuditLog audit;

    SshKeyRoutes(SshKeyService keys, AccountService accounts, AuditLog audit) {
        this.keys = keys;
        this.accounts = accounts;
        this.audit = audit;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/v1/account/ssh-keys", ctx -> list(ctx, own(ctx)));
        routes.post("/api/v1/account/ssh-keys", ctx -> add(ctx, own(ctx)));
        routes.delete("/api/v1/account/ssh-keys/{fingerprint}", ctx -> remove(ctx, own(ctx)));
        routes.get("/api/v1/users/{name}/ssh-keys", ctx -> list(ctx, managed(ctx)));
        routes.post("/api/v1/users/{name}/ssh-keys", ctx -> add(ctx, managed(ctx)));
        routes.delete("/api/v1/users/{name}/ssh-keys/{fingerprint}", ctx -> remove(ctx, managed(ctx)));
    }

    /** Whose keys a request is about, and who asks. */
    private record Owner(Principal caller, String userId, String userName) {
    }

    private static Owner own(Context ctx) {
        Principal p = Caller.require(ctx, Action.SSH_KEY_MANAGE_OWN, null);
        return new Owner(p, p.id(), p.name());
    }

    private Owner managed(Context ctx) {
        Principal p = Caller.require(ctx, Action.USER_MANAGE, null);
        String name = ctx.pathParam("name");
        Account a = accounts.accountByName(name).orElseThrow(() -> ApiException.notFound("no user " + name));
        return new Owner(p, a.id(), a.name());
    }

    private void list(Context ctx, Owner owner) {
        Json.write(ctx, 200, keys.list(owner.userId()).stream().map(SshKeyRoutes::view).toList());
    }

    private void add(Context ctx, Owner owner) {
        String line = Json.text(Json.body(ctx), "public_key");
        SshKey added = keys.add(owner.userId(), line);
        audit.record(owner.caller(), "ssh_key.add", null, Map.of("user", owner.userName(), "fingerprint",
                added.fingerprint()));
        Json.write(ctx, 201, view(added));
    }

    private void remove(Context ctx, Owner owner) {
        SshKey removed = keys.remove(owner.userId(), ctx.pathParam("fingerprint"));
        audit.record(owner.caller(), "ssh_key.remove", null, Map.of("user", owner.userName(), "fingerprint",
                removed.fingerprint()));
        ctx.status(204);
    }

    static Map<String, Object> view(SshKey k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fingerprint", k.fingerprint());
        m.put("type", k.type());
        m.put("comment", k.comment());
        m.put("public_key", k.publicLine());
        m.put("added_at", Views.time(k.addedAt()));
        return m;
    }
}
