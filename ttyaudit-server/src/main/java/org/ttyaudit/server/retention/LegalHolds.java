package org.ttyaudit.server.retention;

import org.ttyaudit.core.model.SessionId;
import org.ttyaudit.server.audit.AuditLog;
import org.ttyaudit.server.auth.Principal;
import org.ttyaudit.server.store.LegalHold;
import org.ttyaudit.server.store.SessionRecord;
import org.ttyaudit.server.store.Store;
import org.ttyaudit.server.retention.LegalHolds.HoldException.Kind;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Placing and releasing legal holds. Each is an audit event ({@code hold.place}, {@code hold.release}: scope,
 * value, reason, hold id) written in the same transaction as the hold, so a hold exists exactly when its event
 * does. Retention prunes no session a hold in force covers ({@link Pruner}). Thread-safe.
 */
public final class LegalHolds {
    /** The longest reason kept: a reason is a case number or a sentence, not a document. */
    static final int MAX_REASON = 1000;

    private final Store store;
    private final AuditLog audit;
    private final Clock clock;

    public LegalHolds(Store store, AuditLog audit, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
    }

    /** Why a hold cannot be placed or released; the message is for the caller. */
    public static final class HoldException extends RuntimeException {
        /** What went wrong: the request is invalid, names nothing that exists, or the state forbids it. */
        public enum Kind { INVALID, NOT_FOUND, CONFLICT }

        private final Kind kind;

        HoldException(String message, Kind kind) {
            super(message);
            this.kind = kind;
        }

        public Kind kind() {
            return kind;
        }
    }

    /**
     * Places a hold on a session (its id), a user (login name) or a host (name). A session must exist and must not
     * be pruned already (a hold cannot bring content back); users and hosts are taken as given, so a hold can be
     * placed before their sessions arrive.
     */
    public LegalHold place(Principal who, LegalHold.Scope scope, String value, String reason) {
        if (value == null || value.isBlank()) {
            throw fail(Kind.INVALID, "value: the " + scope.wireName() + " to hold is required");
        }
        if (reason == null || reason.isBlank()) {
            throw fail(Kind.INVALID, "reason: say why the hold is placed (a case or ticket number)");
        }
        if (reason.length() > MAX_REASON) {
            throw fail(Kind.INVALID, "reason: at most " + MAX_REASON + " characters");
        }
        String normalized = value;
        if (scope == LegalHold.Scope.SESSION) {
            UUID id;
            try {
                id = UUID.fromString(value);
            } catch (IllegalArgumentException e) {
                throw fail(Kind.INVALID, "value: '" + value + "' is not a session id");
            }
            normalized = id.toString();
        }
        String held = normalized;
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        LegalHold hold = new LegalHold(SessionId.newId(clock).uuid(), scope, held, reason, who.actor(), now, null,
                null);
        return store.write(tx -> {
            if (scope == LegalHold.Scope.SESSION) {
                SessionRecord s = tx.session(UUID.fromString(held))
                        .orElseThrow(() -> fail(Kind.NOT_FOUND, "no session " + held));
                if (s.isPruned()) {
                    throw fail(Kind.CONFLICT, "session " + held + " was pruned on " + s.pruned().prunedAt()
                            + " by " + s.pruned().policy() + "; its content is gone");
                }
            }
            tx.insertLegalHold(hold);
            audit.record(tx, who, "hold.place", scope == LegalHold.Scope.SESSION ? UUID.fromString(held) : null,
                    detail(hold));
            return hold;
        });
    }

    /** Releases a hold in force; its sessions become eligible for pruning again. */
    public LegalHold release(Principal who, UUID id) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return store.write(tx -> {
            Optional<LegalHold> released = tx.releaseLegalHold(id, who.actor(), now);
            if (released.isEmpty()) {
                throw store.retention().hold(id).isPresent()
                        ? fail(Kind.CONFLICT, "legal hold " + id + " is already released")
                        : fail(Kind.NOT_FOUND, "no legal hold " + id);
            }
            LegalHold h = released.get();
            audit.record(tx, who, "hold.release", h.scope() == LegalHold.Scope.SESSION ? UUID.fromString(h.value())
                    : null, detail(h));
            return h;
        });
    }

    public List<LegalHold> list(boolean includeReleased) {
        return store.retention().holds(includeReleased);
    }

    private static HoldException fail(HoldException.Kind kind, String message) {
        return new HoldException(message, kind);
    }

    private static Map<String, String> detail(LegalHold h) {
        Map<String, String> d = new TreeMap<>();
        d.put("hold", h.id().toString());
        d.put("scope", h.scope().wireName());
        d.put("value", h.value());
        d.put("reason", h.reason());
        return d;
    }
}
