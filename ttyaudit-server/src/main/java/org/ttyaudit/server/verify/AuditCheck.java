package org.ttyaudit.server.verify;

import org.ttyaudit.core.format.Sha256;
import org.ttyaudit.core.ledger.LedgerEntry;
import org.ttyaudit.server.audit.AuditLog;
import org.ttyaudit.server.store.AuditQueries;
import org.ttyaudit.server.store.AuditRecord;
import org.ttyaudit.server.store.Page;

import java.nio.charset.StandardCharsets;

/**
 * Checks every audit event, a page at a time, against its ledger leaf: the leaf must name the event and record
 * the SHA-256 of its canonical JSON ({@link AuditLog#canonicalJson}), so an event whose actor, action, time,
 * session or detail was changed no longer matches. A deleted event shows up in the ledger pass, as a leaf no row
 * accounts for. Not thread-safe.
 */
final class AuditCheck {
    private static final int PAGE = 500;

    private final AuditQueries audit;
    private final LeafClaims claims;
    private long count;

    AuditCheck(AuditQueries audit, LeafClaims claims) {
        this.audit = audit;
        this.claims = claims;
    }

    void run() {
        String cursor = null;
        do {
            Page<AuditRecord> page = audit.list(null, null, null, null, null, cursor, PAGE);
            for (AuditRecord e : page.items()) {
                count++;
                byte[] hash = Sha256.of(AuditLog.canonicalJson(e).getBytes(StandardCharsets.UTF_8));
                String who = "audit event " + e.id() + " (" + e.action() + " by " + Shown.text(e.actor()) + " at "
                        + e.at() + ")";
                claims.claim(e.ledgerIndex(), new LedgerEntry(LedgerEntry.Kind.AUDIT_EVENT, e.id(), 0, hash), who,
                        "the event as stored hashes to");
            }
            cursor = page.nextCursor();
        } while (cursor != null);
    }

    long count() {
        return count;
    }
}
