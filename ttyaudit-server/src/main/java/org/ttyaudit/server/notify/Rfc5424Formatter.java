package org.ttyaudit.server.notify;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern(
            "uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Rfc5424Formatter() {
    }

    /**
     * The syslog severity (RFC 5424 table 2) of an alert severity: critical → 2 (critical), high → 3 (error),
     * medium → 4 (warning), low → 5 (notice), info → 6 (informational); any other → 4 (warning).
     */
    static int syslogSeverity(String alertSeverity) {
        return switch (alertSeverity.toLowerCase(Locale.ROOT)) {
            case "critical" -> 2;
            case "high" -> 3;
            case "medium" -> 4;
            case "low" -> 5;
            case "info" -> 6;
            default -> 4;
        };
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
        String header = "<" + pri(facility, n.severity()) + ">1 " + TIMESTAMP.format(n.at()) + " " + hostname + " "
                + APP_NAME + " - " + MSG_ID + " ";
        List<String[]> params = new ArrayList<>();
        params.add(new String[] {"alert", n.alertId().toString()});
        params.add(new String[] {"rule", n.rule()});
        params.add(new String[] {"severity", n.severity()});
        params.add(new String[] {"session", n.sessionId().toString()});
        params.add(new String[] {"user", n.user()});
        params.add(new String[] {"host", n.host()});
        if (n.clientAddress() != null) {
            params.add(new String[] {"client", n.clientAddress()});
        }
        params.add(new String[] {"trigger", n.trigger()});
        for (String[] p : params) {
            p[1] = clean(p[1]);
        }
        byte[] head = header.getBytes(StandardCharsets.US_ASCII);
        byte[] msg = clean(message(n)).getBytes(StandardCharsets.UTF_8);

        int fixed = head.length + sdId.length() + 2;   // "[" SD-ID … "]"
        for (String[] p : params) {
            fixed += 1 + p[0].length() + 3;             // SP name="…"
        }
        int[] valueBytes = new int[params.size()];
        int values = 0;
        for (int i = 0; i < params.size(); i++) {
            valueBytes[i] = escapedLength(params.get(i)[1]);
            values += valueBytes[i];
        }
        // MSG gets what is left after the header and the structured data; when nothing is left, values are cut
        int msgRoom = maxBytes - fixed - values - 1 - BOM.length;
        if (msgRoom < msg.length) {
            msg = cutUtf8(msg, Math.max(0, msgRoom));
        }
        while (fixed + values > maxBytes) {
            int longest = 0;
            for (int i = 1; i < valueBytes.length; i++) {
                if (valueBytes[i] > valueBytes[longest]) {
                    longest = i;
                }
            }
            String v = params.get(longest)[1];
            int excess = fixed + values - maxBytes;
            String cut = cutToEscapedLength(v, Math.max(0, valueBytes[longest] - excess));
            params.get(longest)[1] = cut;
            values -= valueBytes[longest] - escapedLength(cut);
            valueBytes[longest] = escapedLength(cut);
        }

        ByteArrayOutputStream out = new ByteArrayOutputStream(maxBytes);
        out.writeBytes(head);
        out.writeBytes(("[" + sdId).getBytes(StandardCharsets.US_ASCII));
        for (String[] p : params) {
            out.writeBytes((" " + p[0] + "=\"" + escape(p[1]) + "\"").getBytes(StandardCharsets.UTF_8));
        }
        out.write(']');
        if (msg.length > 0) {
            out.write(' ');
            out.writeBytes(BOM);
            out.writeBytes(msg);
        }
        return out.toByteArray();
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

    /** Control characters (C0, DEL, C1) replaced by U+FFFD; lone surrogates too (they have no UTF-8 form). */
    static String clean(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean lone = Character.isHighSurrogate(c)
                    ? i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))
                    : Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
            boolean bad = c < 0x20 || (c >= 0x7f && c <= 0x9f) || lone;
            if (bad && b == null) {
                b = new StringBuilder(s.length()).append(s, 0, i);
            }
            if (b != null) {
                b.append(bad ? '\uFFFD' : c);
            }
        }
        return b == null ? s : b.toString();
    }

    /** RFC 5424 section 6.3.3: {@code "}, {@code \} and {@code ]} get a backslash. */
    static String escape(String value) {
        StringBuilder b = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\' || c == ']') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    private static int escapedLength(String value) {
        return escape(value).getBytes(StandardCharsets.UTF_8).length;
    }

    /** The longest prefix of {@code value} (whole code points) whose escaped UTF-8 form fits in {@code maxBytes}. */
    private static String cutToEscapedLength(String value, int maxBytes) {
        int bytes = 0;
        int i = 0;
        while (i < value.length()) {
            int cp = value.codePointAt(i);
            int len = (cp == '"' || cp == '\\' || cp == ']') ? 2 : new String(Character.toChars(cp))
                    .getBytes(StandardCharsets.UTF_8).length;
            if (bytes + len > maxBytes) {
                break;
            }
            bytes += len;
            i += Character.charCount(cp);
        }
        return value.substring(0, i);
    }

    /** The first at most {@code maxBytes} bytes of UTF-8 {@code bytes}, not ending inside a character. */
    private static byte[] cutUtf8(byte[] bytes, int maxBytes) {
        int end = maxBytes;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {   // bytes[end] continues a character: cut before it
            end--;
        }
        byte[] out = new byte[end];
        System.arraycopy(bytes, 0, out, 0, end);
        return out;
    }
}
