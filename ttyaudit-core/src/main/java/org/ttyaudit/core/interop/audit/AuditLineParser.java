package org.ttyaudit.core.interop.audit;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses one line of an audit log into an {@link AuditRecord}. Accepts auditd's raw and enriched formats, the
 * {@code node=} prefix, and user-space messages whose fields sit inside {@code msg='…'} (USER_CMD from sudo):
 * those inner fields join the record's own (an outer field wins).
 */
final class AuditLineParser {
    /** Separates the raw record from the enriched fields (auditd's {@code log_format = ENRICHED}). */
    static final char ENRICHED_SEPARATOR = '\u001d';
    private static final Pattern HEADER = Pattern.compile(
            "(?:node=(\\S+) )?type=([A-Za-z0-9_]+) msg=audit\\(([0-9]{1,12})\\.([0-9]{3}):([0-9]{1,19})\\):");

    private final String source;

    AuditLineParser(String source) {
        this.source = source;
    }

    /** The record on {@code text}, line number {@code line}. */
    AuditRecord parse(String text, long line) throws AuditLogException {
        int sep = text.indexOf(ENRICHED_SEPARATOR);
        String raw = sep < 0 ? text : text.substring(0, sep);
        Matcher m = HEADER.matcher(raw);
        if (!m.lookingAt()) {
            throw new AuditLogException(source, line, raw.startsWith("type=") || raw.startsWith("node=")
                    ? "no \"msg=audit(SECONDS.MILLIS:SERIAL):\" after the type"
                    : "not an audit record (it should start with \"type=\"): " + excerpt(raw));
        }
        Instant time;
        long serial;
        try {
            time = Instant.ofEpochSecond(Long.parseLong(m.group(3)), Long.parseLong(m.group(4)) * 1_000_000L);
            serial = Long.parseLong(m.group(5));
        } catch (NumberFormatException | java.time.DateTimeException e) {
            throw new AuditLogException(source, line, "time or serial out of range: " + excerpt(m.group()));
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields(raw.substring(m.end()), line, fields);
        Map<String, String> enriched = new LinkedHashMap<>();
        if (sep >= 0) {
            fields(text.substring(sep + 1), line, enriched);
            enriched.replaceAll((k, v) -> v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")
                    ? v.substring(1, v.length() - 1) : v);
        }
        return new AuditRecord(line, m.group(1), m.group(2), time, serial, fields, enriched);
    }

    /** Reads {@code key=value} pairs from {@code body} into {@code into}; bare words (TTY's "tty") are skipped. */
    private void fields(String body, long line, Map<String, String> into) throws AuditLogException {
        int i = 0;
        int n = body.length();
        while (i < n) {
            if (body.charAt(i) == ' ') {
                i++;
                continue;
            }
            int keyEnd = i;
            while (keyEnd < n && body.charAt(keyEnd) != '=' && body.charAt(keyEnd) != ' ') {
                keyEnd++;
            }
            if (keyEnd == n || body.charAt(keyEnd) == ' ') {
                i = keyEnd;
                continue;
            }
            String key = body.substring(i, keyEnd);
            int v = keyEnd + 1;
            int end;
            String value;
            if (v < n && body.charAt(v) == '"') {
                int close = body.indexOf('"', v + 1);
                if (close < 0) {
                    throw unclosed(line, key);
                }
                end = close + 1;
                value = body.substring(v, end);
            } else if (v < n && body.charAt(v) == '\'') {
                // A user-space message: its fields are inside the quotes; they may hold quotes, so the value runs
                // to the last single quote of the line.
                int close = body.lastIndexOf('\'');
                if (close <= v) {
                    throw unclosed(line, key);
                }
                end = close + 1;
                value = body.substring(v + 1, close);
                Map<String, String> inner = new LinkedHashMap<>();
                fields(value, line, inner);
                inner.forEach(into::putIfAbsent);
            } else {
                end = body.indexOf(' ', v);
                end = end < 0 ? n : end;
                value = body.substring(v, end);
            }
            into.put(key, value);
            i = end;
        }
    }

    private AuditLogException unclosed(long line, String key) {
        return new AuditLogException(source, line, "the value of " + printable(key) + " has no closing quote");
    }

    private static String excerpt(String s) {
        return printable(s.length() > 60 ? s.substring(0, 60) + "…" : s);
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return b.toString();
    }
}
