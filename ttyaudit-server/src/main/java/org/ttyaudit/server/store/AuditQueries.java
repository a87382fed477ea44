package org.ttyaudit.server.store;

import java.time.Instant;
import java.util.UUID;

/** Reading the audit log, newest first; null filters do not filter. */
public interface AuditQueries {
    Page<AuditRecord> list(String actor, String action, UUID sessionId, Instant since, Instant until, String cursor,
                           int limit);
}
