package org.ttyaudit.server.store;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Reading the audit log, newest first (by time, then id); null filters do not filter; {@code since} is inclusive,
 * {@code until} exclusive. {@code limit} and {@code cursor} work as in {@link SessionQueries#list}.
 */
public interface AuditQueries {
    /** The audit event with this id, or empty. */
    Optional<AuditRecord> get(UUID id);

    Page<AuditRecord> list(String actor, String action, UUID sessionId, Instant since, Instant until, String cursor,
                           int limit);
}
