package org.ttyaudit.server.store;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An audit event: who ({@code actor}, e.g. a user name or {@code host:web-1} or {@code system}) did what
 * ({@code action}, e.g. {@code session.view}, {@code session.export}, {@code search}, {@code login},
 * {@code user.create}) to which session (null when none), with details as a JSON object; it is a ledger leaf.
 */
public record AuditRecord(UUID id, Instant at, String actor, String action, UUID sessionId, String detailJson,
                          long ledgerIndex) {
    public AuditRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
    }
}
