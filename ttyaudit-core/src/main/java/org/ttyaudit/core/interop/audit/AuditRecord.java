package org.ttyaudit.core.interop.audit;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One line of a Linux audit log: {@code type=TYPE msg=audit(SECONDS.MILLIS:SERIAL): key=value ...}, optionally
 * followed by the enriched part ({@code \x1d} then upper-case {@code KEY=value} pairs that auditd's
 * {@code log_format = ENRICHED} adds: names for uids, the syscall's name, ...).
 *
 * @param line     the line number in the log (1-based), for messages
 * @param node     the {@code node=} prefix (auditd's {@code name_format}), or null
 * @param type     the record type, e.g. {@code SYSCALL}, {@code EXECVE}
 * @param time     the event's time (the kernel gives milliseconds)
 * @param serial   the event's serial number; records with the same time and serial make one event
 * @param fields   the fields as written: quoted values keep their quotes ({@link AuditValues#text} decodes them)
 * @param enriched the enriched fields (values unquoted), empty for a raw log
 */
public record AuditRecord(long line, String node, String type, Instant time, long serial, Map<String, String> fields,
                          Map<String, String> enriched) {
    public AuditRecord {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(time, "time");
        fields = Map.copyOf(fields);
        enriched = Map.copyOf(enriched);
    }

    /** The field's value as written (quotes kept), or null when absent. */
    public String raw(String key) {
        return fields.get(key);
    }

    /** The field as a string: a quoted value unquoted, a hex-encoded one decoded; null when absent or unset. */
    public String text(String key) {
        return AuditValues.text(fields.get(key));
    }

    /** The field as a decimal number, or null when absent or not a number (e.g. {@code (none)}). */
    public Long number(String key) {
        String v = fields.get(key);
        if (v == null || !v.matches("-?[0-9]{1,19}")) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
