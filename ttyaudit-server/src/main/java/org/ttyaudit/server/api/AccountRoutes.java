package org.ttyaudit.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import org.ttyaudit.server.audit.AuditLog;
import org.ttyaudit.server.auth.AccessPolicy.Action;
import org.ttyaudit.server.auth.Account;
import org.ttyaudit.server.auth.AccountException;
import org.ttyaudit.server.auth.AccountService;
import org.ttyaudit.server.auth.AuthenticationException;
import org.ttyaudit.server.auth.Enrollment;
import org.ttyaudit.server.auth.NewApiToken;
import org.ttyaudit.server.auth.NewEnrollmentToken;
import org.ttyaudit.server.auth.Principal;
import org.ttyaudit.server.auth.Role;
import org.ttyaudit.server.auth.SecretToken;
import org.ttyaudit.server.auth.WebSessions;
import org.ttyaudit.server.store.AccountStore;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accounts: log in and out, one's own password and API tokens; users, enrollment tokens and hosts for admins;
 * and host enrollment. Logins (also failed ones), password changes and every account change are audit events.
 * Secrets (passwords, tokens) are returned once to their owner and never logged or audited.
 */
final class AccountRoutes implements Routes {

    private final AccountService accounts;
    private final WebSessions webSessions;
    private final AuditLog audit;
    /** How hosts reach this server, for the enroll command line shown with a new enrollment token. */
    private final java.util.function.Supplier<String> publicUrl;
    private final String fingerprint;

    AccountRoutes(AccountService accounts, WebSessions webSessions, AuditLog audit,
                  java.util.function.Supplier<String> publicUrl,
                  String fingerprint) {
        this.accounts = accounts;
        this.webSessions = webSessions;
        this.audit = audit;
        this.publicUrl = publicUrl;
        this.fingerprint = fingerprint;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post("/api/v1/login", this::login);
        routes.post("/api/v1/logout", this::logout);
        routes.get("/api/v1/me", this::me);
        routes.post("/api/v1/password", this::changePassword);
        routes.get("/api/v1/users", this::users);
        routes.post("/api/v1/users", this::createUser);
        routes.patch("/api/v1/users/{name}", this::updateUser);
        routes.get("/api/v1/users/{name}/tokens", this::userTokens);
        routes.delete("/api/v1/users/{name}/tokens/{tokenId}", this::revokeUserToken);
        routes.get("/api/v1/tokens", this::tokens);
        routes.post("/api/v1/tokens", this::createToken);
        routes.delete("/api/v1/tokens/{tokenId}", this::revokeToken);
        routes.get("/api/v1/enrollment-tokens", this::enrollmentTokens);
        routes.post("/api/v1/enrollment-tokens", this::createEnrollmentToken);
        routes.get("/api/v1/hosts", this::hosts);
        routes.post("/api/v1/enroll", this::enroll);
        routes.exception(AuthenticationException.class, (e, ctx) -> ApiServer.error(ctx, 401, e.getMessage()));
        routes.exception(AccountException.class, (e, ctx) -> ApiServer.error(ctx, switch (e.problem()) {
            case INVALID -> 400;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
        }, e.getMessage()));
    }

    private void login(Context ctx) {
        JsonNode body = Json.body(ctx);
        String name = Json.text(body, "name");
        Account account;
        try {
            account = accounts.authenticatePassword(name, Json.text(body, "password"));
        } catch (AuthenticationException e) {
            audit.record(name, "login.failed", null, Map.of("address", ctx.ip()));
            throw e;
        }
        SecretToken token = webSessions.create(account.principal());
        audit.record(account.name(), "login", null, Map.of("address", ctx.ip()));
        ctx.cookie(new Cookie(ApiServer.SESSION_COOKIE, token.reveal(), "/", -1, true, true, null,
                SameSite.STRICT));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("token", token.reveal());
        m.put("account", account(account));
        Json.write(ctx, 200, m);
    }

    private void logout(Context ctx) {
        Principal p = Caller.of(ctx);
        String token = presentedLoginToken(ctx);
        if (p.kind() == Principal.Kind.USER && token != null) {
            webSessions.logout(token);
            audit.record(p, "logout", null, Map.of());
        }
        ctx.removeCookie(ApiServer.SESSION_COOKIE, "/");
        ctx.status(204);
    }

    private void me(Context ctx) {
        Principal p = Caller.of(ctx);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", p.kind().name().toLowerCase());
        m.put("id", p.id());
        m.put("name", p.name());
        m.put("role", p.role() == null ? null : p.role().wireName());
        m.put("must_change_password", p.mustChangePassword());
        Json.write(ctx, 200, m);
    }

    /** Allowed while the one-time password is still to be changed: it needs the current password, not a role. */
    private void changePassword(Context ctx) {
        Principal p = Caller.of(ctx);
        if (!p.isUser()) {
            throw ApiException.forbidden("hosts have no password");
        }
        JsonNode body = Json.body(ctx);
        accounts.changePassword(p.id(), Json.text(body, "current_password"), Json.text(body, "new_password"));
        audit.record(p, "password.change", null, Map.of());
        ctx.status(204);
    }

    private void users(Context ctx) {
        Caller.require(ctx, Action.USER_MANAGE, null);
        Json.write(ctx, 200, accounts.accounts().stream().map(AccountRoutes::account).toList());
    }

    private void createUser(Context ctx) {
        Principal p = Caller.require(ctx, Action.USER_MANAGE, null);
        JsonNode body = Json.body(ctx);
        Account created = accounts.createUser(Json.text(body, "name"), role(Json.text(body, "role")),
                Json.text(body, "password"));
        audit.record(p, "user.create", null, Map.of("user", created.name(), "role",
                created.role().wireName()));
        Json.write(ctx, 201, account(created));
    }

    private void updateUser(Context ctx) {
        Principal p = Caller.require(ctx, Action.USER_MANAGE, null);
        String name = ctx.pathParam("name");
        Account target = accounts.accountByName(name).orElseThrow(() -> ApiException.notFound("no user " + name));
        JsonNode body = Json.body(ctx);
        Account result = target;
        String role = Json.optionalText(body, "role");
        if (role != null) {
            result = accounts.setRole(target.id(), role(role));
            audit.record(p, "user.role", null, Map.of("user", name, "role", role));
        }
        JsonNode disabled = body.get("disabled");
        if (disabled != null && !disabled.isNull()) {
            if (!disabled.isBoolean()) {
                throw ApiException.badRequest("\"disabled\" must be true or false");
            }
            result = disabled.asBoolean() ? accounts.disable(target.id()) : accounts.enable(target.id());
            audit.record(p, disabled.asBoolean() ? "user.disable" : "user.enable", null,
                    Map.of("user", name));
        }
        String password = Json.optionalText(body, "password");
        if (password != null) {
            result = accounts.resetPassword(target.id(), password);
            audit.record(p, "user.password_reset", null, Map.of("user", name));
        }
        Json.write(ctx, 200, account(result));
    }

    /** An admin lists anyone's API tokens (never their secrets), e.g. to revoke a leaked one. */
    private void userTokens(Context ctx) {
        Caller.require(ctx, Action.USER_MANAGE, null);
        Account target = accountNamed(ctx.pathParam("name"));
        Json.write(ctx, 200, accounts.apiTokens(target.id()).stream().map(AccountRoutes::apiToken).toList());
    }

    private void revokeUserToken(Context ctx) {
        Principal p = Caller.require(ctx, Action.USER_MANAGE, null);
        Account target = accountNamed(ctx.pathParam("name"));
        String id = ctx.pathParam("tokenId");
        accounts.revokeApiToken(target.id(), id);
        audit.record(p, "token.revoke", null, Map.of("user", target.name(), "token_id", id));
        ctx.status(204);
    }

    private Account accountNamed(String name) {
        return accounts.accountByName(name).orElseThrow(() -> ApiException.notFound("no user " + name));
    }

    private void tokens(Context ctx) {
        Principal p = Caller.require(ctx, Action.TOKEN_MANAGE_OWN, null);
        Json.write(ctx, 200, accounts.apiTokens(p.id()).stream().map(AccountRoutes::apiToken).toList());
    }

    private void createToken(Context ctx) {
        Principal p = Caller.require(ctx, Action.TOKEN_MANAGE_OWN, null);
        JsonNode body = Json.body(ctx);
        long days = body.has("ttl_days") ? body.get("ttl_days").asLong(-1) : 90;
        if (days < 1) {
            throw ApiException.badRequest("\"ttl_days\" must be a positive number of days");
        }
        NewApiToken created = accounts.createApiToken(p.id(), Json.text(body, "name"), Duration.ofDays(days));
        audit.record(p, "token.create", null, Map.of("token_id", created.stored().id(), "name",
                created.stored().name()));
        Map<String, Object> m = apiToken(created.stored());
        m.put("token", created.token().reveal());
        Json.write(ctx, 201, m);
    }

    private void revokeToken(Context ctx) {
        Principal p = Caller.require(ctx, Action.TOKEN_MANAGE_OWN, null);
        String id = ctx.pathParam("tokenId");
        accounts.revokeApiToken(p.id(), id);
        audit.record(p, "token.revoke", null, Map.of("token_id", id));
        ctx.status(204);
    }

    private void enrollmentTokens(Context ctx) {
        Caller.require(ctx, Action.ENROLLMENT_TOKEN_MANAGE, null);
        Json.write(ctx, 200, accounts.enrollmentTokens().stream().map(t -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", t.id());
            m.put("created_by", t.createdBy());
            m.put("created_at", Views.time(t.createdAt()));
            m.put("expires_at", Views.time(t.expiresAt()));
            m.put("used_at", Views.time(t.usedAt()));
            m.put("used_by_host_id", t.usedByHostId());
            return m;
        }).toList());
    }

    private void createEnrollmentToken(Context ctx) {
        Principal p = Caller.require(ctx, Action.ENROLLMENT_TOKEN_MANAGE, null);
        long hours = 24;
        if (!ctx.body().isBlank()) {
            JsonNode body = Json.body(ctx);
            hours = body.has("ttl_hours") ? body.get("ttl_hours").asLong(-1) : 24;
        }
        if (hours < 1) {
            throw ApiException.badRequest("\"ttl_hours\" must be a positive number of hours");
        }
        NewEnrollmentToken created = accounts.createEnrollmentToken(p.id(), Duration.ofHours(hours));
        audit.record(p, "enrollment_token.create", null, Map.of("token_id", created.stored().id()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", created.stored().id());
        m.put("token", created.token().reveal());
        m.put("expires_at", Views.time(created.stored().expiresAt()));
        m.put("enroll_command", "ttyaudit enroll --server " + publicUrl.get() + " --token " + created.token().reveal()
                + (fingerprint == null ? "" : " --fingerprint " + fingerprint));
        Json.write(ctx, 201, m);
    }

    private void hosts(Context ctx) {
        Caller.require(ctx, Action.HOST_MANAGE, null);
        Json.write(ctx, 200, accounts.hosts().stream().map(h -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", h.id());
            m.put("name", h.name());
            m.put("enrolled_at", Views.time(h.enrolledAt()));
            m.put("revoked", h.revoked());
            return m;
        }).toList());
    }

    private void enroll(Context ctx) {
        JsonNode body = Json.body(ctx);
        Enrollment e = accounts.enroll(Json.text(body, "token"), Json.text(body, "host"));
        audit.record("host:" + e.host().name(), "host.enroll", null, Map.of("host_id", e.host().id(), "address",
                ctx.ip()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host_id", e.host().id());
        m.put("host", e.host().name());
        m.put("credential", e.credential().reveal());
        Json.write(ctx, 201, m);
    }

    private static Role role(String text) {
        try {
            return Role.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private static String presentedLoginToken(Context ctx) {
        String header = ctx.header("Authorization");
        if (header != null && header.length() > 7) {
            return header.substring(7).trim();
        }
        return ctx.cookie(ApiServer.SESSION_COOKIE);
    }

    static Map<String, Object> account(Account a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("name", a.name());
        m.put("role", a.role().wireName());
        m.put("disabled", a.disabled());
        m.put("must_change_password", a.mustChangePassword());
        m.put("created_at", Views.time(a.createdAt()));
        return m;
    }

    private static Map<String, Object> apiToken(AccountStore.ApiToken t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("name", t.name());
        m.put("created_at", Views.time(t.createdAt()));
        m.put("expires_at", Views.time(t.expiresAt()));
        m.put("revoked", t.revoked());
        return m;
    }

    @SuppressWarnings("unused")
    private static List<String> roles() {
        return List.of("admin", "auditor", "user");
    }
}
