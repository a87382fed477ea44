package org.ttyaudit.server.api;

import io.javalin.http.Context;
import org.ttyaudit.server.audit.AuditLog;
import org.ttyaudit.server.auth.AccessPolicy;
import org.ttyaudit.server.auth.Principal;
import org.ttyaudit.server.store.SessionRecord;
import org.ttyaudit.server.store.Store;

import java.util.Map;
import java.util.UUID;

/**
 * The one check before any read of a session's content: the caller may do {@code action} at all (else 403), and
 * may see this session (else 404, the same as a session that does not exist, so ids cannot be probed); the read
 * is then recorded as an audit event. Stateless apart from its collaborators; thread-safe.
 */
final class SessionAccess {
    private final Store store;
    private final AuditLog audit;

    SessionAccess(Store store, AuditLog audit) {
        this.store = store;
        this.audit = audit;
    }

    /** The session of the request's {@code {id}}, when the caller may see it; the access is audited. */
    SessionRecord view(Context ctx, AccessPolicy.Action action, String auditAction, Map<String, String> detail) {
        Caller.grant(ctx, action);   // 403 for callers who may see no session at all
        UUID id = Params.sessionId(ctx);
        Principal p = Caller.of(ctx);
        SessionRecord s = store.sessions().get(id).orElse(null);
        if (s == null || !AccessPolicy.allows(p, action, s.header().user())) {
            throw ApiException.notFound("no session " + id);
        }
        audit.record(p, auditAction, id, detail);
        return s;
    }

    /**
     * Whether the caller of {@code ctx} may also see {@code other}, a session read as part of another's view (an
     * attachment shown in its session's timeline); when so, that read is audited too, like a view of its own.
     */
    boolean viewAlso(Context ctx, AccessPolicy.Action action, SessionRecord other, String auditAction,
                     Map<String, String> detail) {
        Principal p = Caller.of(ctx);
        if (!AccessPolicy.allows(p, action, other.header().user())) {
            return false;
        }
        audit.record(p, auditAction, other.id(), detail);
        return true;
    }

    /**
     * Refuses reading the content of a session retention pruned: 410 Gone, saying when and by which policy, and
     * that its metadata, hashes and ledger leaves (with its tombstone) are still there to verify.
     */
    static void requireContent(SessionRecord s) {
        if (s.isPruned()) {
            throw new ApiException(410, "the content of session " + s.id() + " was pruned on "
                    + Views.time(s.pruned().prunedAt()) + " by retention policy " + s.pruned().policy()
                    + "; its metadata, chunk hashes and ledger leaves remain (GET /api/v1/sessions/" + s.id()
                    + "/proofs)");
        }
    }
}
