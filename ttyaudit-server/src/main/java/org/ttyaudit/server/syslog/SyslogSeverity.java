package org.ttyaudit.server.syslog;

import java.util.Locale;

/** Syslog severities (RFC 5424 table 2) of ttyaudit's values. Stateless. */
public final class SyslogSeverity {
    /** Informational: what is forwarded that is not an alert. */
    public static final int INFORMATIONAL = 6;

    private SyslogSeverity() {
    }

    /**
     * The syslog severity of an alert severity: critical → 2 (critical), high → 3 (error), medium → 4 (warning),
     * low → 5 (notice), info → 6 (informational); any other → 4 (warning).
     */
    public static int ofAlert(String alertSeverity) {
        return switch (alertSeverity.toLowerCase(Locale.ROOT)) {
            case "critical" -> 2;
            case "high" -> 3;
            case "medium" -> 4;
            case "low" -> 5;
            case "info" -> 6;
            default -> 4;
        };
    }
}
