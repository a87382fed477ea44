package org.ttyaudit.server.api;

import io.javalin.http.Context;
import org.ttyaudit.server.auth.AccessPolicy;
import org.ttyaudit.server.auth.Principal;

import java.util.Optional;

/**
 * The authenticated caller of a request: set by the authentication filter, checked by every handler against
 * {@link AccessPolicy} (the one place permissions are decided).
 */
final class Caller {
    private static final String ATTRIBUTE = "ttyaudit.principal";

    private Caller() {
    }

    static void set(Context ctx, Principal principal) {
        ctx.attribute(ATTRIBUTE, principal);
    }

    static Optional<Principal> find(Context ctx) {
        return Optional.ofNullable(ctx.attribute(ATTRIBUTE));
    }

    /** The caller. @throws ApiException 401 when the request is not authenticated */
    static Principal of(Context ctx) {
        return find(ctx).orElseThrow(() -> ApiException.unauthorized("authentication required"));
    }

    /** The caller, when allowed to do {@code action} (for a session recorded under {@code recordedUser}). */
    static Principal require(Context ctx, AccessPolicy.Action action, String recordedUser) {
        Principal p = of(ctx);
        if (!AccessPolicy.allows(p, action, recordedUser)) {
            throw forbidden(p, action);
        }
        return p;
    }

    /** The caller and how far it may do {@code action}; refuses when not at all. */
    static AccessPolicy.Grant grant(Context ctx, AccessPolicy.Action action) {
        Principal p = of(ctx);
        AccessPolicy.Grant g = AccessPolicy.grant(p, action);
        if (g == AccessPolicy.Grant.NONE) {
            throw forbidden(p, action);
        }
        return g;
    }

    private static ApiException forbidden(Principal p, AccessPolicy.Action action) {
        if (p.mustChangePassword()) {
            return ApiException.forbidden("change your one-time password first (POST /api/v1/password)");
        }
        return ApiException.forbidden("not allowed: " + action.description());
    }
}
