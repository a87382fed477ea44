package org.ttyaudit.server.notify;

import org.ttyaudit.server.syslog.Rfc5424Message;
import org.ttyaudit.server.syslog.SyslogSeverity;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes an {@link AlertNotice} as one RFC 5424 syslog message:
 * <pre>
 * &lt;PRI&gt;1 TIMESTAMP HOSTNAME ttyaudit - alert [SD-ID alert="…" rule="…" severity="…" session="…" user="…"
 *     host="…" client="…" trigger="…"] BOM MSG
 * </pre>
 * PRI is facility × 8 + the syslog severity of the alert's severity ({@link #syslogSeverity}); TIMESTAMP is the
 * alert's time in UTC with microseconds (RFC 5424 allows six fraction digits at most); MSG is UTF-8 text for
 * people, starting with the byte order mark as RFC 5424 section 6.4 asks. In parameter values {@code "},
 * {@code \} and {@code ]} are escaped with a backslash (section 6.3.3). Control characters (C0, DEL, C1) in
 * values and MSG become U+FFFD: a command line or output that matched may carry terminal escape sequences or
 * line breaks that must not reach a log viewer or split the message at a receiver that frames by lines.
 *
 * <p>A message longer than {@code maxBytes} is cut to fit: first MSG (at a character boundary), then the longest
 * parameter values, so that every message is a well-formed frame whatever the alert holds. Stateless.
 */
final class Rfc5424Formatter {
    static final String APP_NAME = "ttyaudit";
    static final String MSG_ID = "alert";

    private Rfc5424Formatter() {
    }

    /**
     * The syslog severity (RFC 5424 table 2) of an alert severity: critical → 2 (critical), high → 3 (error),
     * medium → 4 (warning), low → 5 (notice), info → 6 (informational); any other → 4 (warning).
     */
    static int syslogSeverity(String alertSeverity) {
        return SyslogSeverity.ofAlert(alertSeverity);
    }

    /** PRI: facility × 8 + severity. */
    static int pri(int facility, String alertSeverity) {
        return facility * 8 + syslogSeverity(alertSeverity);
    }

    /**
     * The message, at most {@code maxBytes} long.
     *
     * @param hostname printable ASCII, 1–255 characters (checked by {@link SyslogTarget})
     * @param maxBytes at least {@link SyslogTarget#MIN_MAX_DATAGRAM}
     */
    static byte[] format(AlertNotice n, int facility, String hostname, String sdId, int maxBytes) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("alert", n.alertId().toString());
        params.put("rule", n.rule());
        params.put("severity", n.severity());
        params.put("session", n.sessionId().toString());
        params.put("user", n.user());
        params.put("host", n.host());
        params.put("client", n.clientAddress());
        params.put("trigger", n.trigger());
        return Rfc5424Message.encode(pri(facility, n.severity()), n.at(), hostname, APP_NAME, MSG_ID, sdId, params,
                message(n), maxBytes);
    }

    /** MSG: what happened, in one line for people: {@code rule (severity): description - user@host: matched [url]}. */
    private static String message(AlertNotice n) {
        StringBuilder b = new StringBuilder(n.rule()).append(" (").append(n.severity()).append(")");
        if (n.description() != null && !n.description().isEmpty()) {
            b.append(": ").append(n.description());
        }
        b.append(" - ").append(n.user()).append('@').append(n.host()).append(' ').append(n.trigger()).append(": ")
                .append(n.matched());
        if (n.sessionUrl() != null) {
            b.append(' ').append(n.sessionUrl());
        }
        return b.toString();
    }

    /** As {@link Rfc5424Message#clean}. */
    static String clean(String s) {
        return Rfc5424Message.clean(s);
    }
}
