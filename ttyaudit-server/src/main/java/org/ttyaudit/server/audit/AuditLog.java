package org.ttyaudit.server.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.ttyaudit.core.format.Sha256;
import org.ttyaudit.core.ledger.LedgerEntry;
import org.ttyaudit.core.model.SessionId;
import org.ttyaudit.server.auth.Principal;
import org.ttyaudit.server.ledger.Ledger;
import org.ttyaudit.server.store.AuditRecord;
import org.ttyaudit.server.store.Store;
import org.ttyaudit.server.store.WriteTransaction;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Records audit events (logins, views, exports, searches, account changes): each is stored and becomes a leaf of
 * the ledger in the same transaction, so the audit log is as tamper-evident as the recordings. The leaf's record
 * hash is the SHA-256 of the event's canonical JSON ({@link #canonicalJson}), which {@code verify} recomputes.
 *
 * <p>Thread-safe.
 */
public final class AuditLog {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Store store;
    private final Ledger ledger;
    private final Clock clock;

    public AuditLog(Store store, Ledger ledger, Clock clock) {
        this.store = store;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** Detail field naming the API token through which a user acted (docs/SECURITY.md, "What is audited"). */
    public static final String VIA_TOKEN = "via_token";

    /**
     * Records that {@code who} did {@code action}: the actor is {@link Principal#actor()}, and when the principal
     * acted through an API token, the token's id is added to the details as {@value #VIA_TOKEN}.
     */
    public AuditRecord record(Principal who, String action, UUID sessionId, Map<String, String> detail) {
        if (who.tokenId() == null) {
            return record(who.actor(), action, sessionId, detail);
        }
        Map<String, String> d = new TreeMap<>(detail);
        d.put(VIA_TOKEN, who.tokenId());
        return record(who.actor(), action, sessionId, d);
    }

    /**
     * Records that {@code actor} did {@code action} (to {@code sessionId}, may be null) with {@code detail}
     * (string values; may be empty) and returns the stored event. Durable on return.
     */
    public AuditRecord record(String actor, String action, UUID sessionId, Map<String, String> detail) {
        return store.write(tx -> record(tx, actor, action, sessionId, detail));
    }

    /**
     * Records the event inside {@code tx}, for changes whose audit event must commit with them or not at all
     * (retention's prune run with its tombstones, a legal hold with its row).
     */
    public AuditRecord record(WriteTransaction tx, String actor, String action, UUID sessionId,
                              Map<String, String> detail) {
        UUID id = SessionId.newId(clock).uuid();
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String detailJson = toJson(new TreeMap<>(detail));
        AuditRecord unplaced = new AuditRecord(id, at, actor, action, sessionId, detailJson, -1);
        long index = ledger.append(tx, new LedgerEntry(LedgerEntry.Kind.AUDIT_EVENT, id, 0,
                Sha256.of(canonicalJson(unplaced).getBytes(StandardCharsets.UTF_8))));
        AuditRecord event = new AuditRecord(id, at, actor, action, sessionId, detailJson, index);
        tx.insertAuditEvent(event);
        return event;
    }

    /** As {@link #record(Principal, String, UUID, Map)}, inside {@code tx}. */
    public AuditRecord record(WriteTransaction tx, Principal who, String action, UUID sessionId,
                              Map<String, String> detail) {
        Map<String, String> d = new TreeMap<>(detail);
        if (who.tokenId() != null) {
            d.put(VIA_TOKEN, who.tokenId());
        }
        return record(tx, who.actor(), action, sessionId, d);
    }

    /**
     * The bytes an audit event's ledger leaf commits to: a JSON object with the fields id, at (ISO-8601), actor,
     * action, session (or null) and detail (the stored detail JSON as a string), in this order, with Jackson's
     * default escaping.
     */
    public static String canonicalJson(AuditRecord e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id().toString());
        m.put("at", e.at().toString());
        m.put("actor", e.actor());
        m.put("action", e.action());
        m.put("session", e.sessionId() == null ? null : e.sessionId().toString());
        m.put("detail", e.detailJson());
        return toJson(m);
    }

    private static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
