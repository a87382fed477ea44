package org.ttyaudit.server.verify;

import org.ttyaudit.core.ledger.LedgerEntry;
import org.ttyaudit.server.store.AlertRecord;
import org.ttyaudit.server.store.AuditRecord;
import org.ttyaudit.server.store.ChunkRecord;
import org.ttyaudit.server.store.Store;
import org.ttyaudit.server.store.SessionRecord;

import java.util.List;
import java.util.Optional;

/**
 * Says why no row accounts for a ledger leaf: the record it names is gone from the database (deleted), or the
 * record's row points at another leaf. Looks the named record up, so it costs a query per unaccounted leaf —
 * which an intact store has none of.
 */
final class UnclaimedLeaves {
    private final Store store;

    UnclaimedLeaves(Store store) {
        this.store = store;
    }

    /** The problem line for leaf {@code index}, which decodes to {@code entry} and which no row claimed. */
    String explain(long index, LedgerEntry entry) {
        String leaf = "ledger leaf " + index;
        String named = leaf + " names " + LeafClaims.describe(entry);
        if (entry.kind() == LedgerEntry.Kind.AUDIT_EVENT) {
            Optional<AuditRecord> e = store.audit().get(entry.subject());
            return e.isEmpty()
                    ? named + ", but the database has no such audit event — deleted"
                    : named + ", but that audit event points at leaf " + e.get().ledgerIndex();
        }
        if (entry.kind() == LedgerEntry.Kind.ALERT) {
            Optional<AlertRecord> a = store.alerts().get(entry.subject());
            return a.isEmpty()
                    ? named + ", but the database has no such alert — deleted"
                    : named + ", but that alert points at leaf " + a.get().ledgerIndex();
        }
        Optional<SessionRecord> s = store.sessions().get(entry.subject());
        if (s.isEmpty()) {
            return named + ", but the database has no session " + entry.subject() + " — deleted";
        }
        String session = "session " + entry.subject();
        return switch (entry.kind()) {
            case SESSION_START -> named + ", but the session's row points at leaf " + s.get().ledgerIndex();
            case SESSION_END -> s.get().end() == null
                    ? session + ": its end record is missing from the database but " + leaf + " names it — deleted"
                    : named + ", but the session's end points at leaf " + s.get().end().ledgerIndex();
            case CHUNK -> {
                List<ChunkRecord> rows = store.sessions().chunks(entry.subject(), entry.seq(), 1);
                yield rows.isEmpty() || rows.get(0).seq() != entry.seq()
                        ? session + ": chunk " + entry.seq() + " missing from the database but " + leaf
                        + " names it — deleted"
                        : named + ", but that chunk's row points at leaf " + rows.get(0).ledgerIndex();
            }
            case TOMBSTONE -> s.get().pruned() == null
                    ? named + ", but the session is not marked pruned — its pruned mark was removed, or the"
                    + " tombstone was not made by retention"
                    : named + ", but the session's tombstone is leaf " + s.get().pruned().ledgerIndex();
            default -> named + ", which no row accounts for";
        };
    }
}
