package org.ttyaudit.core.interop.audit;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The records of one audit event: those with the same time and serial (a SYSCALL with its EXECVE, CWD and PATH
 * records, or one user-space record such as USER_CMD), in the order of the log.
 */
public record AuditEvent(Instant time, long serial, List<AuditRecord> records) {
    public AuditEvent {
        Objects.requireNonNull(time, "time");
        records = List.copyOf(records);
        if (records.isEmpty()) {
            throw new IllegalArgumentException("an audit event has at least one record");
        }
    }

    /** The first record of {@code type}, or null. */
    public AuditRecord first(String type) {
        return records.stream().filter(r -> r.type().equals(type)).findFirst().orElse(null);
    }

    /** The records of {@code type}, in order. */
    public List<AuditRecord> all(String type) {
        return records.stream().filter(r -> r.type().equals(type)).toList();
    }
}
